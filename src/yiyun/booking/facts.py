"""Facts the booking path reads on every attempt, cached per process for a short time: a window's
timetable and rules, and a patient's immutable real-name facts. Anything that can change and matters for
correctness (session stopped, patient removed) is checked again inside the claim itself."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings

from yiyun.core.localcache import TTLCache
from yiyun.scheduling.models import DepartmentBookingLimit, Window
from yiyun.scheduling.services import policy_for


@dataclass(frozen=True)
class WindowFacts:
    id: int
    external_id: str
    session_id: int
    session_external_id: str
    hospital_id: int
    department_id: int
    doctor_id: int
    visit_date: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime
    release_at: dt.datetime
    fee_fen: int
    session_open: bool
    min_age: int | None
    max_age: int | None
    sex: str
    hold_minutes: int
    max_per_day: int
    max_per_week: int
    one_per_doctor_per_day: bool
    cancel_deadline_minutes: int


@dataclass(frozen=True)
class PatientFacts:
    id: int
    external_id: str
    account_id: int
    name: str
    birth_date: dt.date
    sex: str
    id_number_hash: str
    verified: bool
    removed: bool

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


_windows: TTLCache[WindowFacts | None] = TTLCache(ttl=settings.BOOKING_FACTS_TTL)
_patients: TTLCache[PatientFacts | None] = TTLCache(ttl=settings.BOOKING_FACTS_TTL)


def _load_window(key: uuid.UUID) -> WindowFacts | None:
    window = (Window.objects.select_related("session", "session__department").filter(external_id=key).first())
    if window is None:
        return None
    session = window.session
    policy = policy_for(session.hospital_id)
    limit = DepartmentBookingLimit.objects.filter(department_id=session.department_id).first()
    return WindowFacts(
        id=window.pk, external_id=str(window.external_id), session_id=session.pk,
        session_external_id=str(session.external_id), hospital_id=session.hospital_id,
        department_id=session.department_id, doctor_id=session.doctor_id, visit_date=session.date,
        starts_at=window.starts_at, ends_at=window.ends_at, release_at=session.release_at, fee_fen=session.fee_fen,
        session_open=session.is_open, min_age=limit.min_age if limit else None,
        max_age=limit.max_age if limit else None, sex=limit.sex if limit else "", hold_minutes=policy.hold_minutes,
        max_per_day=policy.max_active_per_day, max_per_week=policy.max_active_per_week,
        one_per_doctor_per_day=policy.one_per_doctor_per_day,
        cancel_deadline_minutes=policy.cancel_deadline_minutes,
    )


def window_facts(external_id) -> WindowFacts | None:
    try:
        key = uuid.UUID(str(external_id))
    except ValueError:
        return None
    return _windows.get_or_load(key, lambda: _load_window(key))


def _load_patient(key: uuid.UUID) -> PatientFacts | None:
    from yiyun.patients.models import Patient

    row = Patient.objects.filter(external_id=key).values(
        "pk", "account_id", "name", "birth_date", "sex", "id_number_hash", "verified_at", "removed_at").first()
    if row is None:
        return None
    return PatientFacts(id=row["pk"], external_id=str(key), account_id=row["account_id"], name=row["name"],
                        birth_date=row["birth_date"], sex=row["sex"], id_number_hash=row["id_number_hash"],
                        verified=row["verified_at"] is not None, removed=row["removed_at"] is not None)


def patient_facts(external_id) -> PatientFacts | None:
    try:
        key = uuid.UUID(str(external_id))
    except ValueError:
        return None
    return _patients.get_or_load(key, lambda: _load_patient(key))


def forget(*, window_external_id=None, patient_external_id=None) -> None:
    if window_external_id is not None:
        _windows.pop(uuid.UUID(str(window_external_id)))
    if patient_external_id is not None:
        _patients.pop(uuid.UUID(str(patient_external_id)))


def forget_all() -> None:
    _windows.clear()
    _patients.clear()
