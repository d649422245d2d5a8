"""Writes to the timetable: a hospital's booking and release rules, generating sessions from weekly templates,
ad-hoc sessions, and the two exceptions — 停诊 (stop: every booking is cancelled, refunded and told, with
alternatives) and 替诊 (substitute: bookings stay, patients are told). Numbers (号源) are created by the booking
app."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone

from yiyun.catalog.models import Doctor, Hospital
from yiyun.core.errors import Conflict, ValidationFailed
from yiyun.scheduling import selectors
from yiyun.scheduling.models import BookingPolicy, Period, ScheduleTemplate, Session, VisitType, Window

SHANGHAI = ZoneInfo("Asia/Shanghai")

DEFAULT_VISIT_TYPES = [
    (VisitType.Code.GENERAL, "普通门诊", 1500),
    (VisitType.Code.EXPERT, "专家门诊", 5000),
    (VisitType.Code.SPECIAL, "特需门诊", 30000),
    (VisitType.Code.CONVENIENCE, "便民门诊", 0),
]


def policy_for(hospital: Hospital | int) -> BookingPolicy:
    hospital_id = getattr(hospital, "pk", hospital)
    policy, _ = BookingPolicy.objects.get_or_create(hospital_id=hospital_id)
    return policy


POLICY_BOUNDS = {  # what a hospital may set: (lowest, highest)
    "horizon_days": (1, 90),
    "hold_minutes": (5, 60),
    "cancel_deadline_minutes": (0, 7 * 24 * 60),
    "max_active_per_day": (1, 20),
    "max_active_per_week": (1, 50),
    "no_show_limit": (1, 20),
    "no_show_window_days": (7, 365),
    "suspension_days": (0, 365),
    "waitlist_offer_minutes": (5, 240),
    "checkin_opens_minutes": (0, 24 * 60),
    "late_grace_minutes": (0, 240),
    "missed_call_requeue_after": (0, 50),
    "max_missed_calls": (1, 10),
}


@dataclass(frozen=True)
class PolicySaved:
    restamped: int  # published sessions not yet released whose release moved with the new rule
    created: int  # sessions generated because the horizon grew


def check_policy(policy: BookingPolicy) -> None:
    for name, (low, high) in POLICY_BOUNDS.items():
        value = getattr(policy, name)
        if value is None or not low <= value <= high:
            label = BookingPolicy._meta.get_field(name).verbose_name
            raise ValidationFailed.field(name, f"{label}须在{low}–{high}之间", f"{name} must be {low}–{high}",
                                         code="policy_out_of_range")
    if policy.max_active_per_week < policy.max_active_per_day:
        raise ValidationFailed.field("max_active_per_week", "每周上限不能小于每天上限",
                                     "The weekly limit cannot be below the daily one", code="policy_week_below_day")


def save_booking_policy(*, policy: BookingPolicy, now: dt.datetime | None = None) -> PolicySaved:
    """Save a hospital's booking and release rules. Sessions already published but not yet released move to the
    new release rule (a countdown never points at a rule that no longer holds); released sessions keep theirs,
    since patients may hold numbers in them. A longer horizon publishes the new days at once."""
    check_policy(policy)
    now = now or timezone.now()
    with transaction.atomic():
        before = BookingPolicy.objects.select_for_update().filter(pk=policy.pk).first() if policy.pk else None
        policy.save()
        rule_moved = before is None or (before.horizon_days, before.release_time) != (policy.horizon_days,
                                                                                    policy.release_time)
        restamped = _restamp_unreleased(policy, now) if rule_moved else 0
        grew = before is not None and policy.horizon_days > before.horizon_days
        created = generate_sessions(today=timezone.localdate(now), hospital=policy.hospital) if grew else 0
        from yiyun.booking.services import forget_cached_facts  # booking reads the rules: not at import time

        transaction.on_commit(forget_cached_facts)  # limits and release times, in this process at once
    return PolicySaved(restamped=restamped, created=created)


def _restamp_unreleased(policy: BookingPolicy, now: dt.datetime) -> int:
    """Give the hospital's published, not yet released sessions the release moment of the rule now in force."""
    pending = Session.objects.select_for_update().filter(hospital_id=policy.hospital_id, release_at__gt=now,
                                                         status=Session.Status.OPEN).order_by("pk")
    moved = []
    for session in pending:
        at = release_at(policy, session.date)
        if at != session.release_at:
            session.release_at = at
            moved.append(session)
    Session.objects.bulk_update(moved, ["release_at"])
    return len(moved)


def ensure_visit_types(hospital: Hospital) -> dict[str, VisitType]:
    types = {}
    for code, name, fee in DEFAULT_VISIT_TYPES:
        types[code], _ = VisitType.objects.get_or_create(hospital=hospital, code=code,
                                                         defaults={"name": name, "fee_fen": fee})
    return types


def local_datetime(day: dt.date, at: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, at, tzinfo=SHANGHAI)


def release_at(policy: BookingPolicy, day: dt.date) -> dt.datetime:
    """Numbers for `day` open at the policy's release time, horizon_days before."""
    return local_datetime(day - dt.timedelta(days=policy.horizon_days), policy.release_time)


def _window_bounds(start: dt.datetime, end: dt.datetime, minutes: int) -> list[tuple[dt.datetime, dt.datetime]]:
    bounds, cursor, step = [], start, dt.timedelta(minutes=minutes)
    while cursor < end:
        bounds.append((cursor, min(cursor + step, end)))
        cursor += step
    return bounds


@transaction.atomic
def create_session(*, doctor: Doctor, department, day: dt.date, period: str, start: dt.time, end: dt.time,
                   window_minutes: int, online_per_window: int, onsite_per_window: int, visit_type: VisitType,
                   fee_fen: int | None = None, campus=None, template: ScheduleTemplate | None = None) -> Session:
    """Publish one session with its windows and numbers (号源)."""
    from yiyun.booking.services import create_tickets

    if department.hospital_id != doctor.hospital_id or visit_type.hospital_id != doctor.hospital_id:
        raise ValidationFailed("科室、门诊类型须属于医生所在医院", "Department and visit type must be the doctor's hospital's",
                               code="hospital_mismatch")
    if end <= start or window_minutes <= 0 or online_per_window + onsite_per_window <= 0:
        raise ValidationFailed("出诊时间或号数设置有误", "Invalid times or places", code="session_invalid")
    policy = policy_for(doctor.hospital_id)
    starts_at, ends_at = local_datetime(day, start), local_datetime(day, end)
    try:
        with transaction.atomic():
            session = Session.objects.create(
                hospital_id=doctor.hospital_id, doctor=doctor, department=department, campus=campus, template=template,
                date=day, period=period, starts_at=starts_at, ends_at=ends_at, release_at=release_at(policy, day),
                visit_type=visit_type, fee_fen=visit_type.fee_fen if fee_fen is None else fee_fen,
            )
    except IntegrityError as exc:
        raise Conflict("该医生此时段已有出诊", "The doctor already has a session then", code="session_exists") from exc
    windows, number = [], 1
    for window_start, window_end in _window_bounds(starts_at, ends_at, window_minutes):
        windows.append(Window(session=session, starts_at=window_start, ends_at=window_end,
                              online_capacity=online_per_window, onsite_capacity=onsite_per_window,
                              first_number=number))
        number += online_per_window + onsite_per_window
    create_tickets(windows=Window.objects.bulk_create(windows))
    return session


def _template_applies(template: ScheduleTemplate, day: dt.date) -> bool:
    return (template.is_active and day.weekday() == template.weekday and template.valid_from <= day
            and (template.valid_until is None or day <= template.valid_until))


def generate_sessions(*, today: dt.date | None = None, hospital: Hospital | None = None,
                      template: ScheduleTemplate | None = None) -> int:
    """Create the sessions of every active template (of one hospital, or one template) for today … today +
    horizon + 1 (idempotent). The extra day is published but not yet released, so patients see when its numbers
    open (countdown)."""
    today = today or timezone.localdate()
    templates = ScheduleTemplate.objects.filter(is_active=True).select_related(
        "doctor", "department", "campus", "visit_type")
    if hospital is not None:
        templates = templates.filter(hospital=hospital)
    if template is not None:
        templates = templates.filter(pk=template.pk)
    horizons: dict[int, int] = {}
    created = 0
    for template in templates:
        horizon = horizons.setdefault(template.hospital_id, policy_for(template.hospital_id).horizon_days)
        existing = set(Session.objects.filter(doctor=template.doctor, period=template.period,
                                              date__range=(today, today + dt.timedelta(days=horizon + 1)))
                       .values_list("date", flat=True))
        for offset in range(horizon + 2):
            day = today + dt.timedelta(days=offset)
            if day in existing or not _template_applies(template, day):
                continue
            try:
                create_session(doctor=template.doctor, department=template.department, day=day,
                               period=template.period, start=template.start_time, end=template.end_time,
                               window_minutes=template.window_minutes, online_per_window=template.online_per_window,
                               onsite_per_window=template.onsite_per_window, visit_type=template.visit_type,
                               fee_fen=template.fee_fen, campus=template.campus, template=template)
            except Conflict:
                continue  # an ad-hoc session already occupies that slot
            created += 1
    return created


def _check_clinic(*, hospital_id: int, doctor: Doctor, department, campus, visit_type: VisitType, start: dt.time,
                  end: dt.time, window_minutes: int, online: int, onsite: int) -> None:
    """What a weekly template and an ad-hoc session must both hold to: one hospital for doctor, department, campus
    and visit type; the doctor works in the department; times, window length and places make sense."""
    if doctor.hospital_id != hospital_id or department.hospital_id != hospital_id \
            or visit_type.hospital_id != hospital_id or (campus is not None and campus.hospital_id != hospital_id):
        raise ValidationFailed("医生、科室、院区、门诊类型须属于同一医院", "Doctor, department, campus and visit type "
                               "must belong to the hospital", code="hospital_mismatch")
    if not doctor.departments.filter(pk=department.pk).exists():
        raise ValidationFailed.field("doctor", "该医生不在此科室出诊", "The doctor does not work in this department",
                                     code="doctor_not_in_department")
    if end <= start:
        raise ValidationFailed.field("end_time", "结束时间须晚于开始时间", "The end must be after the start",
                                     code="clinic_times")
    if not 5 <= window_minutes <= 240:
        raise ValidationFailed.field("window_minutes", "分时段长度须在5–240分钟之间", "Windows are 5–240 minutes",
                                     code="clinic_window")
    if online + onsite <= 0 or max(online, onsite) > 50:
        raise ValidationFailed.field("online_per_window", "每时段号数须为1–50", "1–50 places per window",
                                     code="clinic_places")


def check_template(template: ScheduleTemplate) -> None:
    _check_clinic(hospital_id=template.hospital_id, doctor=template.doctor, department=template.department,
                  campus=template.campus, visit_type=template.visit_type, start=template.start_time,
                  end=template.end_time, window_minutes=template.window_minutes,
                  online=template.online_per_window, onsite=template.onsite_per_window)
    if template.valid_until and template.valid_until < template.valid_from:
        raise ValidationFailed.field("valid_until", "失效日期不能早于生效日期", "The end date is before the start",
                                     code="template_dates")


def add_session(*, doctor: Doctor, department, day: dt.date, period: str, start: dt.time, end: dt.time,
                window_minutes: int, online_per_window: int, onsite_per_window: int, visit_type: VisitType,
                fee_fen: int | None = None, campus=None, now: dt.datetime | None = None) -> Session:
    """临时加诊: one session outside the weekly templates (a holiday clinic, extra demand), checked as a template
    is. Its numbers open by the hospital's release rule, at once when that moment has passed."""
    now = now or timezone.now()
    if local_datetime(day, end) <= now:
        raise ValidationFailed.field("date", "加诊时间已过", "That session would already be over", code="session_past")
    _check_clinic(hospital_id=doctor.hospital_id, doctor=doctor, department=department, campus=campus,
                  visit_type=visit_type, start=start, end=end, window_minutes=window_minutes,
                  online=online_per_window, onsite=onsite_per_window)
    return create_session(doctor=doctor, department=department, day=day, period=period, start=start, end=end,
                          window_minutes=window_minutes, online_per_window=online_per_window,
                          onsite_per_window=onsite_per_window, visit_type=visit_type, fee_fen=fee_fen, campus=campus)


def add_template(*, template: ScheduleTemplate, today: dt.date | None = None) -> int:
    """Save a new weekly template and publish its sessions within the booking horizon at once; returns how many
    sessions were published (a slot already taken by an ad-hoc session is left as it is)."""
    check_template(template)
    with transaction.atomic():
        try:
            with transaction.atomic():
                template.save()
        except IntegrityError as exc:
            raise Conflict("该医生此星期时段已有排班模板", "The doctor already has a template for that weekday and "
                           "period", code="template_exists") from exc
        return generate_sessions(today=today, template=template)


def retire_template(*, template: ScheduleTemplate) -> int:
    """Stop generating from a template. Future sessions without bookings are withdrawn; sessions that
    have bookings stay and must be stopped explicitly (停诊), so no booking is ever dropped silently."""
    from yiyun.booking.selectors import sessions_with_bookings

    with transaction.atomic():
        template.is_active = False
        template.save(update_fields=["is_active"])
        future = selectors.future_template_sessions(template=template)
        keep = sessions_with_bookings(future)
        withdrawn = future.exclude(pk__in=keep)
        count = withdrawn.count()
        withdrawn.delete()
    return count


def stop_session(*, session: Session, reason: str, actor=None) -> int:
    """停诊: close the session; every active booking is cancelled, refunded and told, with alternatives."""
    from yiyun.booking.services import cancel_for_stopped_session

    reason = _stop_reason(reason)
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.status == Session.Status.STOPPED:
            return 0
        _close(session, reason)
        return cancel_for_stopped_session(session=session, reason=reason, actor=actor)


def _stop_reason(reason: str) -> str:
    """停诊 is told to every patient with its reason: one is required."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.field("reason", "请填写停诊原因", "Give the reason for stopping", code="reason_required")
    return reason


def _close(session: Session, reason: str) -> None:
    session.status = Session.Status.STOPPED
    session.change_reason = reason
    session.changed_at = timezone.now()
    session.save(update_fields=["status", "change_reason", "changed_at"])


LEAVE_MAX_DAYS = 60


def stop_doctor_between(*, doctor: Doctor, first_day: dt.date, last_day: dt.date, reason: str, actor=None,
                        now: dt.datetime | None = None) -> tuple[int, int]:
    """停诊多天 (a doctor's leave): every open session of the doctor from `first_day` to `last_day` that has not
    ended is stopped as `stop_session` stops one, all in one transaction. All are closed before any booking is
    cancelled, so no patient is offered another day of the same leave. Returns (sessions, bookings cancelled)."""
    from yiyun.booking.services import cancel_for_stopped_session

    now = now or timezone.now()
    if last_day < first_day or (last_day - first_day).days >= LEAVE_MAX_DAYS:
        raise ValidationFailed.field("last_day", f"结束日期须在开始日期之后{LEAVE_MAX_DAYS}天内",
                                     f"The last day must be within {LEAVE_MAX_DAYS} days after the first",
                                     code="leave_dates")
    reason = _stop_reason(reason)
    with transaction.atomic():
        sessions = list(selectors.leave_sessions(doctor=doctor, first_day=first_day, last_day=last_day, now=now)
                        .select_for_update().order_by("pk"))
        for session in sessions:
            _close(session, reason)
        cancelled = sum(cancel_for_stopped_session(session=session, reason=reason, actor=actor)
                        for session in sessions)
    return len(sessions), cancelled


def substitute_doctor(*, session: Session, doctor: Doctor, reason: str, actor=None) -> Session:
    """替诊: another doctor of the same hospital takes the session; bookings stay and patients are told."""
    from yiyun.booking.services import notify_substitution

    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.field("reason", "请填写替诊原因", "Give the reason", code="reason_required")
    if doctor.hospital_id != session.hospital_id:
        raise ValidationFailed.field("doctor", "替诊医生须为本院医生", "The substitute must work at this hospital",
                                     code="hospital_mismatch")
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.doctor_id == doctor.pk:
            return session
        if Session.objects.filter(doctor=doctor, date=session.date, period=session.period).exists():
            raise Conflict("替诊医生该时段已有出诊", "The substitute already has a session then", code="session_exists")
        previous = session.doctor
        session.original_doctor = session.original_doctor or previous
        session.doctor = doctor
        session.change_reason = reason
        session.changed_at = timezone.now()
        session.save(update_fields=["doctor", "original_doctor", "change_reason", "changed_at"])
        notify_substitution(session=session, previous=previous, reason=reason, actor=actor)
    return session


PERIOD_TIMES = {
    Period.MORNING: (dt.time(8, 0), dt.time(12, 0)),
    Period.AFTERNOON: (dt.time(13, 30), dt.time(17, 30)),
    Period.EVENING: (dt.time(18, 0), dt.time(21, 0)),
}
