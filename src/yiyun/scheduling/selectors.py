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


def restrict(rows: QuerySet, user, *, field: str = "hospital_id") -> QuerySet:
    """Rows of the hospitals the user operates (all of them for a platform admin); not an operator: 403."""
    allowed = require_operator(user)
    return rows if allowed is None else rows.filter(**{f"{field}__in": allowed})


def _by_external_id(rows: QuerySet, value, error: NotFound):
    try:
        found = rows.filter(external_id=uuid.UUID(str(value))).first()
    except ValueError:
        found = None
    if found is None:
        raise error
    return found


def sessions_for_day(*, user, day: dt.date, department_id: int | None = None) -> QuerySet[Session]:
    rows = restrict(Session.objects.filter(date=day), user).select_related(
        "doctor", "department", "visit_type", "original_doctor")
    if department_id:
        rows = rows.filter(department_id=department_id)
    return _with_load(rows).order_by("department__sort_order", "starts_at", "doctor__name")


TIMETABLE_DAYS = 14  # a doctor's timetable shows two weeks at a time


def doctor_timetable(*, doctor: Doctor, start: dt.date, days: int = TIMETABLE_DAYS) -> list[Session]:
    """The doctor's sessions on `days` days from `start`, with `.booked` and `.places` like the operator's
    list, including those handed to a substitute (`original_doctor` is then this doctor) and those stopped; each
    with `.role` for this doctor: "stopped", "covered" (handed to a substitute), "covering" (for another) or "open"."""
    rows = Session.objects.filter(Q(doctor=doctor) | Q(original_doctor=doctor), date__gte=start,
                                  date__lt=start + dt.timedelta(days=days))
    sessions = list(_with_load(rows.select_related("doctor", "original_doctor", "department", "visit_type",
                                                   "campus")).order_by("starts_at", "id"))
    for session in sessions:
        session.role = ("stopped" if session.status == Session.Status.STOPPED
                        else "covered" if session.doctor_id != doctor.pk
                        else "covering" if session.original_doctor_id else "open")
    return sessions


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
    return restrict(Hospital.objects.filter(is_active=True), user, field="id").order_by("id")


def operated_hospital(*, user, hospital_id=None) -> Hospital:
    """The hospital an operator page is about: the one named (404 unless operated), else the first operated."""
    hospitals = operated_hospitals(user=user)
    missing = NotFound("未找到该医院", "Hospital not found", code="hospital_not_found")
    if hospital_id:
        return _by_external_id(hospitals, hospital_id, missing)
    hospital = hospitals.first()
    if hospital is None:
        raise missing
    return hospital


def hospital_templates(*, hospital: Hospital) -> QuerySet[ScheduleTemplate]:
    """A hospital's active weekly templates, by department, weekday and start."""
    return (ScheduleTemplate.objects.filter(hospital=hospital, is_active=True)
            .select_related("doctor", "department", "campus", "visit_type")
            .order_by("department__sort_order", "department__name", "weekday", "start_time", "doctor__name"))


def operated_template(*, user, template_id) -> ScheduleTemplate:
    rows = restrict(ScheduleTemplate.objects.filter(is_active=True), user).select_related(
        "doctor", "department", "hospital", "visit_type")
    template = rows.filter(pk=template_id).first() if str(template_id).isdigit() else None
    if template is None:
        raise NotFound("未找到该排班模板", "Template not found", code="template_not_found")
    return template


def future_template_sessions(*, template: ScheduleTemplate, now: dt.datetime | None = None) -> QuerySet[Session]:
    """The open sessions a template published that have not started: what retiring it touches."""
    return Session.objects.filter(template=template, starts_at__gt=now or timezone.now(), status=Session.Status.OPEN)


def retirement_preview(*, template: ScheduleTemplate, now: dt.datetime | None = None) -> dict[str, int]:
    """What retiring a template would do: future sessions without bookings are withdrawn, those with bookings stay
    (each needs its own 停诊)."""
    from yiyun.booking.selectors import sessions_with_bookings

    future = future_template_sessions(template=template, now=now)
    booked = len(sessions_with_bookings(future))
    return {"withdrawn": future.count() - booked, "kept": booked}


def operated_doctor(*, user, doctor_id) -> Doctor:
    return _by_external_id(restrict(Doctor.objects.select_related("hospital"), user), doctor_id,
                           NotFound("未找到该医生", "Doctor not found", code="doctor_not_found"))


def leave_sessions(*, doctor: Doctor, first_day: dt.date, last_day: dt.date,
                   now: dt.datetime | None = None) -> QuerySet[Session]:
    """The doctor's open sessions from `first_day` to `last_day` that have not ended: what a 停诊多天 stops."""
    return Session.objects.filter(doctor=doctor, date__range=(first_day, last_day), status=Session.Status.OPEN,
                                  ends_at__gt=now or timezone.now())


def leave_preview(*, doctor: Doctor, first_day: dt.date, last_day: dt.date) -> QuerySet[Session]:
    """`leave_sessions` with `.booked` and `.places`, for the page that asks before stopping them."""
    rows = leave_sessions(doctor=doctor, first_day=first_day, last_day=last_day).select_related("department")
    return _with_load(rows).order_by("starts_at")


def operated_session(*, user, external_id) -> Session:
    return _by_external_id(restrict(Session.objects.select_related("doctor", "department", "hospital"), user),
                           external_id, NotFound("未找到该出诊", "Session not found", code="session_not_found"))
