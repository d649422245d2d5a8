"""From the engine's standard departments to a hospital's real clinics and doctors, and reading a triage
session with its access check."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db.models import Min, Q
from django.utils import timezone

from yiyun.audit.models import AccessLog
from yiyun.audit.services import AccessContext, record_access
from yiyun.booking.models import Channel, Ticket
from yiyun.catalog.models import Department, Doctor, Hospital
from yiyun.core.errors import NotFound
from yiyun.scheduling.models import Session
from yiyun.triage.models import TriageSession

# When a hospital has no clinic under a standard code, the clinics patients are sent to instead.
FALLBACKS: dict[str, tuple[str, ...]] = {
    "50.11": ("04.01",),            # 肛肠科 → 普通外科
    "22": ("04.03", "21"),          # 运动医学科 → 骨科, 康复
    "16.03": ("03.02", "16"),       # 肝病科 → 消化内科, 感染科
    "16.01": ("16", "03.02"),
    "16.02": ("16", "03.01"),
    "15.06": ("15",),
    "06.02": ("05.02",),            # 围产期保健 → 产科
    "06.03": ("05.01",),            # 更年期 → 妇科
    "05.05": ("05.01",),            # 生殖医学 → 妇科
    "09": ("07",),                  # 儿童保健 → 儿科
    "08": ("07", "04.01"),          # 小儿外科 → 儿科
    "03.09": ("13", "03.08"),       # 变态反应 → 皮肤科, 风湿免疫
    "27": ("03.03", "21"),          # 疼痛科 → 神经内科, 康复
    "19": ("03",),
}
NOT_FOUND = ("未找到该导诊记录", "Triage session not found")


def _parent(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def _clinics_by_code(hospital: Hospital) -> dict[str, list[Department]]:
    by_code: dict[str, list[Department]] = {}
    for department in (Department.objects.filter(hospital=hospital, is_active=True)
                       .select_related("standard", "standard__parent").order_by("sort_order", "id")):
        by_code.setdefault(department.standard.code, []).append(department)
    return by_code


def find_clinic(code: str, clinics: dict[str, list[Department]], *, generalist: bool = False,
                substitutes: bool = True) -> Department | None:
    """The hospital's clinic for a standard code: the same code, a sub-specialty of it, its parent, a known
    substitute, and at a community health centre the general practice."""
    if code in clinics:
        return clinics[code][0]
    children = [d for c, ds in clinics.items() if _parent(c) == code for d in ds]
    if children:
        return children[0]
    parent = _parent(code)
    if parent and parent in clinics:
        return clinics[parent][0]
    if substitutes:
        for substitute in FALLBACKS.get(code, ()) + FALLBACKS.get(parent or "", ()):
            found = find_clinic(substitute, clinics, substitutes=False)
            if found is not None:
                return found
    if generalist and "02" in clinics:
        return clinics["02"][0]
    return None


def map_departments(departments: list[dict], hospital: Hospital | None) -> list[dict]:
    """Add `hospital_department_id`/`hospital_department_name` (None without a hospital or a match).
    Recommendations that land on the same clinic are merged (their scores added), best first."""
    clinics = _clinics_by_code(hospital) if hospital is not None else {}
    generalist = hospital is not None and hospital.tier in (Hospital.Tier.COMMUNITY, Hospital.Tier.TIER1)
    mapped: list[dict] = []
    by_clinic: dict[str, dict] = {}
    for entry in departments:
        clinic = find_clinic(entry["standard_code"], clinics, generalist=generalist) if clinics else None
        if clinic is not None and str(clinic.external_id) in by_clinic:
            kept = by_clinic[str(clinic.external_id)]
            kept["score"] = round(kept["score"] + entry["score"], 3)
            continue
        row = {**entry, "hospital_department_id": str(clinic.external_id) if clinic else None,
               "hospital_department_name": clinic.name if clinic else None}
        if clinic is not None:
            by_clinic[row["hospital_department_id"]] = row
        mapped.append(row)
    return mapped


def _earliest_slots(doctor_ids: Iterable[int], now: dt.datetime) -> dict[int, tuple[dt.datetime, str]]:
    rows = (Ticket.objects.filter(session__doctor_id__in=list(doctor_ids), session__status=Session.Status.OPEN,
                                  session__release_at__lte=now, window__ends_at__gt=now, channel=Channel.ONLINE,
                                  booking__isnull=True)
            .values("session__doctor_id").annotate(first=Min("window__starts_at")))
    earliest = {row["session__doctor_id"]: row["first"] for row in rows}
    windows = {}
    for doctor_id, starts_at in earliest.items():
        ticket = (Ticket.objects.filter(session__doctor_id=doctor_id, window__starts_at=starts_at,
                                        channel=Channel.ONLINE, booking__isnull=True)
                  .select_related("window").first())
        if ticket is not None:
            windows[doctor_id] = (starts_at, str(ticket.window.external_id))
    return windows


def match_doctors(*, departments: list[dict], keywords: list[str], hospital: Hospital | None, limit: int = 5,
                  now: dt.datetime | None = None) -> list[dict]:
    """Up to `limit` doctors of the recommended clinics, best first: how many of the complaint's words their
    擅长 names, then title, then rating, then who can be seen soonest."""
    now = now or timezone.now()
    clinic_ids = [d["hospital_department_id"] for d in departments if d.get("hospital_department_id")]
    codes = [d["standard_code"] for d in departments]
    doctors = Doctor.objects.filter(is_active=True, hospital__is_active=True)
    if clinic_ids:
        doctors = doctors.filter(departments__external_id__in=clinic_ids)
    elif hospital is None and codes:
        doctors = doctors.filter(Q(departments__standard__code__in=codes)
                                 | Q(departments__standard__parent__code__in=codes))
    else:
        return []
    doctors = list(doctors.select_related("hospital").prefetch_related("departments").distinct()[:200])
    rank = {d["hospital_department_id"] or d["standard_code"]: i for i, d in enumerate(departments)}
    slots = _earliest_slots([d.pk for d in doctors], now)

    def score(doctor: Doctor) -> tuple:
        hits = sum(1 for word in keywords if word and word in doctor.specialty)
        department_rank = min((rank.get(str(dep.external_id), rank.get(dep.standard.code, 9))
                               for dep in doctor.departments.all()), default=9)
        soonest = slots.get(doctor.pk, (dt.datetime.max.replace(tzinfo=dt.UTC), ""))[0]
        return (department_rank, -hits, -doctor.title_rank, -float(doctor.rating), soonest)

    chosen = sorted(doctors, key=score)[:limit]
    return [{
        "id": str(d.external_id), "name": d.name, "title": d.get_title_display(), "hospital": d.hospital.name,
        "departments": [dep.name for dep in d.departments.all()], "specialty": d.specialty,
        "rating": float(d.rating), "matched_keywords": [w for w in keywords if w and w in d.specialty],
        "earliest_slot": ({"starts_at": slots[d.pk][0].isoformat(), "window_id": slots[d.pk][1],
                           "label": f"{timezone.localtime(slots[d.pk][0]):%m月%d日 %H:%M}"}
                          if d.pk in slots else None),
    } for d in chosen]


def access_session(*, ctx: AccessContext, external_id, action: str = AccessLog.Action.VIEW) -> TriageSession:
    """A session anyone holding its id may read, unless it belongs to an account: then only that account
    (404 for others; attempts on a patient's session are logged)."""
    try:
        key = uuid.UUID(str(external_id))
    except ValueError:
        raise NotFound(*NOT_FOUND, code="triage_not_found") from None
    session = TriageSession.objects.select_related("patient", "hospital").filter(external_id=key).first()
    if session is None:
        raise NotFound(*NOT_FOUND, code="triage_not_found")
    actor_id = getattr(ctx.actor, "pk", None)
    allowed = session.account_id is None or session.account_id == actor_id
    if session.patient_id is not None:
        record_access(ctx, patient=session.patient_id, action=action, record_type="triage",
                      record_id=session.external_id,
                      outcome=AccessLog.Outcome.ALLOWED if allowed else AccessLog.Outcome.DENIED)
    if not allowed:
        raise NotFound(*NOT_FOUND, code="triage_not_found")
    return session
