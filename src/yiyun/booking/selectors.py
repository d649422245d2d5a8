"""Reads for booking pages and the API: free places, dates with places, my bookings, alternatives."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from yiyun.audit.models import AccessLog
from yiyun.audit.services import AccessContext, record_access
from yiyun.booking.errors import BookingNotFound
from yiyun.booking.models import Booking, Channel, Ticket, WaitlistEntry
from yiyun.booking.states import ACTIVE
from yiyun.scheduling.models import Session, Window


def free_places(window_ids) -> dict[int, int]:
    rows = (Ticket.objects.filter(window_id__in=list(window_ids), channel=Channel.ONLINE, booking__isnull=True)
            .values("window_id").annotate(n=Count("id")))
    return {row["window_id"]: row["n"] for row in rows}


def bookable_sessions(*, department=None, doctor=None, start: dt.date | None = None, days: int = 14,
                      now: dt.datetime | None = None) -> list[Session]:
    """Open sessions from `start` on, each with `.free` (online places left), `.released` and windows."""
    now = now or timezone.now()
    start = start or timezone.localdate(now)
    sessions = (Session.objects.filter(status=Session.Status.OPEN, date__gte=start,
                                       date__lt=start + dt.timedelta(days=days), ends_at__gt=now)
                .select_related("doctor", "department", "visit_type", "hospital").order_by("starts_at"))
    if department is not None:
        sessions = sessions.filter(department=department)
    if doctor is not None:
        sessions = sessions.filter(doctor=doctor)
    sessions = list(sessions)
    windows = list(Window.objects.filter(session__in=sessions).order_by("starts_at"))
    free = free_places(w.pk for w in windows)
    by_session: dict[int, list[Window]] = defaultdict(list)
    for window in windows:
        window.free = free.get(window.pk, 0)
        window.past = window.ends_at <= now
        by_session[window.session_id].append(window)
    for session in sessions:
        session.window_list = by_session[session.pk]
        session.free = sum(w.free for w in session.window_list if not w.past)
        session.released = session.release_at <= now
    return sessions


def dates_with_places(*, department, days: int = 14, now: dt.datetime | None = None) -> list[dict]:
    """For a department: each date ahead with how many online places are left (released or not)."""
    summary: dict[dt.date, dict] = {}
    for session in bookable_sessions(department=department, days=days, now=now):
        day = summary.setdefault(session.date, {"date": session.date, "free": 0, "doctors": set(), "released": False})
        day["free"] += session.free
        day["doctors"].add(session.doctor_id)
        day["released"] = day["released"] or session.released
    return [{**d, "doctors": len(d["doctors"])} for d in sorted(summary.values(), key=lambda d: d["date"])]


def get_window(*, external_id) -> Window:
    try:
        key = uuid.UUID(str(external_id))
    except ValueError:
        raise BookingNotFound("未找到该号源时段", "Window not found", code="window_not_found") from None
    window = Window.objects.select_related("session__doctor", "session__department", "session__hospital",
                                           "session__visit_type").filter(external_id=key).first()
    if window is None:
        raise BookingNotFound("未找到该号源时段", "Window not found", code="window_not_found")
    return window


def access_booking(*, ctx: AccessContext, external_id, action: str = AccessLog.Action.VIEW) -> Booking:
    """A booking of the acting account (404 for anyone else; a denied attempt is logged)."""
    try:
        key = uuid.UUID(str(external_id))
    except ValueError:
        raise BookingNotFound() from None
    booking = (Booking.objects.select_related("patient", "hospital", "department", "doctor", "window", "session",
                                              "session__visit_type").filter(external_id=key).first())
    allowed = booking is not None and booking.account_id == getattr(ctx.actor, "pk", None)
    if booking is not None:
        record_access(ctx, patient=booking.patient_id, action=action, record_type="booking",
                      record_id=booking.external_id,
                      outcome=AccessLog.Outcome.ALLOWED if allowed else AccessLog.Outcome.DENIED)
    if not allowed:
        raise BookingNotFound()
    return booking


def my_bookings(*, ctx: AccessContext, active_only: bool = False) -> list[Booking]:
    rows = (Booking.objects.filter(account=ctx.actor)
            .select_related("patient", "hospital", "department", "doctor", "window", "session"))
    if active_only:
        rows = rows.filter(status__in=ACTIVE)
    bookings = list(rows[:100])
    for patient_id in {b.patient_id for b in bookings}:
        record_access(ctx, patient=patient_id, action=AccessLog.Action.LIST, record_type="booking")
    return bookings


def my_waitlist(*, account) -> QuerySet[WaitlistEntry]:
    return (WaitlistEntry.objects.filter(account=account)
            .select_related("patient", "window__session__doctor", "window__session__department", "booking"))


def waitlist_position(entry: WaitlistEntry) -> int | None:
    if entry.status != WaitlistEntry.Status.WAITING:
        return None
    return WaitlistEntry.objects.filter(window=entry.window, status=WaitlistEntry.Status.WAITING).filter(
        Q(created_at__lt=entry.created_at) | Q(created_at=entry.created_at, id__lt=entry.id)).count() + 1


def equivalent_alternatives(*, booking: Booking, limit: int = 3, now: dt.datetime | None = None) -> list[Window]:
    """The first released windows with free places in the same department, same visit type first, from
    now on (the same doctor on another day counts too)."""
    now = now or timezone.now()
    candidates = (Window.objects.filter(session__department_id=booking.department_id,
                                        session__status=Session.Status.OPEN, session__release_at__lte=now,
                                        starts_at__gt=now)
                  .exclude(session_id=booking.session_id)
                  .filter(tickets__channel=Channel.ONLINE, tickets__booking__isnull=True).distinct()
                  .select_related("session__doctor", "session__visit_type").order_by("starts_at"))
    same_type = [w for w in candidates.filter(session__visit_type_id=booking.session.visit_type_id)[:limit]]
    if len(same_type) >= limit:
        return same_type
    others = [w for w in candidates.exclude(session__visit_type_id=booking.session.visit_type_id)[:limit]]
    return (same_type + others)[:limit]


def sessions_with_bookings(sessions: QuerySet[Session]) -> list[int]:
    return list(Booking.objects.filter(session__in=sessions, status__in=ACTIVE)
                .values_list("session_id", flat=True).distinct())
