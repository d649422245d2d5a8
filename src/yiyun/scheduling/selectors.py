"""Reads for the operator pages (which hospitals an operator runs, the day's sessions with their load) and for a
doctor's own timetable."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from yiyun.booking.states import ACTIVE
from yiyun.catalog.models import Doctor, Hospital
from yiyun.catalog.selectors import hospital_ids_operated_by
from yiyun.core.errors import NotFound, PermissionDenied
from yiyun.scheduling.models import BookingPolicy, ScheduleTemplate, Session


def operated_hospital_ids(user) -> list[int] | None:
    """None means every hospital (platform admin); an empty list means not an operator."""
    if getattr(user, "is_superuser", False):
        return None
    return hospital_ids_operated_by(user)


def require_operator(user) -> list[int] | None:
    allowed = operated_hospital_ids(user)
    if allowed is not None and not allowed:
        raise PermissionDenied("仅医院运营人员可访问", "Hospital operators only", code="operator_only")
    return allowed


def sessions_for_day(*, user, day: dt.date, department_id: int | None = None) -> QuerySet[Session]:
    allowed = require_operator(user)
    rows = Session.objects.filter(date=day).select_related("doctor", "department", "visit_type", "original_doctor")
    if allowed is not None:
        rows = rows.filter(hospital_id__in=allowed)
    if department_id:
        rows = rows.filter(department_id=department_id)
    return _with_load(rows).order_by("department__sort_order", "starts_at", "doctor__name")


TIMETABLE_DAYS = 14  # a doctor's timetable shows two weeks at a time


def doctor_timetable(*, doctor: Doctor, start: dt.date, days: int = TIMETABLE_DAYS) -> QuerySet[Session]:
    """The doctor's sessions on `days` days from `start`, with `.booked` and `.places` like the operator's
    list, including those handed to a substitute (`original_doctor` is then this doctor) and those stopped."""
    rows = Session.objects.filter(Q(doctor=doctor) | Q(original_doctor=doctor), date__gte=start,
                                  date__lt=start + dt.timedelta(days=days))
    return _with_load(rows.select_related("doctor", "original_doctor", "department", "visit_type", "campus")
                      ).order_by("starts_at", "id")


def _with_load(rows: QuerySet[Session]) -> QuerySet[Session]:
    """Active bookings and online numbers per session."""
    return rows.annotate(
        booked=Count("bookings", filter=Q(bookings__status__in=ACTIVE), distinct=True),
        places=Count("tickets", filter=Q(tickets__channel="online"), distinct=True),
    )


def operated_policy(*, user, hospital_id) -> BookingPolicy:
    """The booking and release rules of a hospital the user operates (404 for any other)."""
    from yiyun.scheduling.services import policy_for

    return policy_for(operated_hospital(user=user, hospital_id=hospital_id or "-"))


def operated_hospitals(*, user) -> QuerySet[Hospital]:
    allowed = require_operator(user)
    rows = Hospital.objects.filter(is_active=True).order_by("id")
    return rows if allowed is None else rows.filter(id__in=allowed)


def operated_hospital(*, user, hospital_id=None) -> Hospital:
    """The hospital an operator page is about: the one named (404 unless operated), else the first operated."""
    hospitals = operated_hospitals(user=user)
    if not hospital_id:
        hospital = hospitals.first()
    else:
        try:
            hospital = hospitals.filter(external_id=uuid.UUID(str(hospital_id))).first()
        except ValueError:
            hospital = None
    if hospital is None:
        raise NotFound("未找到该医院", "Hospital not found", code="hospital_not_found")
    return hospital


def hospital_templates(*, hospital: Hospital) -> QuerySet[ScheduleTemplate]:
    """A hospital's active weekly templates, by department, weekday and start."""
    return (ScheduleTemplate.objects.filter(hospital=hospital, is_active=True)
            .select_related("doctor", "department", "campus", "visit_type")
            .order_by("department__sort_order", "department__name", "weekday", "start_time", "doctor__name"))


def operated_template(*, user, template_id) -> ScheduleTemplate:
    allowed = require_operator(user)
    rows = ScheduleTemplate.objects.select_related("doctor", "department", "hospital", "visit_type")
    if allowed is not None:
        rows = rows.filter(hospital_id__in=allowed)
    template = rows.filter(pk=template_id, is_active=True).first() if str(template_id).isdigit() else None
    if template is None:
        raise NotFound("未找到该排班模板", "Template not found", code="template_not_found")
    return template


def retirement_preview(*, template: ScheduleTemplate, now: dt.datetime | None = None) -> dict[str, int]:
    """What retiring a template would do: future sessions without bookings are withdrawn, those with bookings stay
    (each needs its own 停诊)."""
    from yiyun.booking.selectors import sessions_with_bookings

    future = Session.objects.filter(template=template, starts_at__gt=now or timezone.now(),
                                    status=Session.Status.OPEN)
    booked = len(sessions_with_bookings(future))
    return {"withdrawn": future.count() - booked, "kept": booked}


def operated_doctor(*, user, doctor_id) -> Doctor:
    allowed = require_operator(user)
    rows = Doctor.objects.select_related("hospital")
    if allowed is not None:
        rows = rows.filter(hospital_id__in=allowed)
    try:
        doctor = rows.filter(external_id=uuid.UUID(str(doctor_id))).first()
    except ValueError:
        doctor = None
    if doctor is None:
        raise NotFound("未找到该医生", "Doctor not found", code="doctor_not_found")
    return doctor


def leave_preview(*, doctor: Doctor, first_day: dt.date, last_day: dt.date) -> QuerySet[Session]:
    """The open sessions a 停诊多天 from `first_day` to `last_day` would stop, with `.booked` and `.places`."""
    rows = Session.objects.filter(doctor=doctor, date__range=(first_day, last_day), status=Session.Status.OPEN,
                                  ends_at__gt=timezone.now()).select_related("department")
    return _with_load(rows).order_by("starts_at")


def operated_session(*, user, external_id) -> Session:
    allowed = require_operator(user)
    try:
        key = uuid.UUID(str(external_id))
    except ValueError:
        raise NotFound("未找到该出诊", "Session not found", code="session_not_found") from None
    rows = Session.objects.select_related("doctor", "department", "hospital")
    if allowed is not None:
        rows = rows.filter(hospital_id__in=allowed)
    session = rows.filter(external_id=key).first()
    if session is None:
        raise NotFound("未找到该出诊", "Session not found", code="session_not_found")
    return session
