"""Queue pages: the doctor's queue (HTMX buttons), the patient's place in line, and the public
waiting-room screen (大屏). Live over WebSocket (yiyun.queue.consumers) with HTMX polling as fallback;
each page's panel is also served alone so a refresh swaps only that part."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from yiyun.audit.models import AccessLog
from yiyun.audit.services import context_from_request
from yiyun.booking.selectors import access_booking
from yiyun.core.errors import DomainError
from yiyun.core.forms import message_for, parse_date
from yiyun.queue import selectors, services
from yiyun.queue.errors import EntryNotFound
from yiyun.scheduling import selectors as scheduling_selectors
from yiyun.scheduling.services import policy_for

DOCTOR_ACTIONS = {"recall": services.recall, "skip": services.skip, "finish": services.finish}


def _ctx(request):
    return context_from_request(request, channel=AccessLog.Channel.PAGE)


def _poll_seconds() -> int:
    return settings.QUEUE_POLL_SECONDS


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- the doctor ------------------------------------------------------------------------------------


def _pick_session(sessions, now):
    """The session running now, else the next one today, else the last one."""
    for session in sessions:
        if session.ends_at > now:
            return session
    return sessions[-1] if sessions else None


@login_required
@require_GET
def doctor_home(request):
    doctor, _ = selectors.doctor_context(_ctx(request))
    sessions = selectors.todays_sessions(doctor=doctor)
    chosen = _pick_session(sessions, timezone.now())
    if chosen is not None:
        return redirect("queue:doctor_session", session_id=chosen.external_id)
    return render(request, "queue/doctor_queue.html", {"doctor": doctor, "sessions": [], "nav": "mine"})


@login_required
@require_GET
def doctor_timetable(request):
    """我的排班: the doctor's sessions for two weeks (today by default), with bookings, 停诊 and 替诊."""
    doctor, _ = selectors.doctor_context(_ctx(request))
    today = timezone.localdate()
    start = parse_date(request.GET.get("start")) or today
    step = dt.timedelta(days=scheduling_selectors.TIMETABLE_DAYS)
    sessions = scheduling_selectors.doctor_timetable(doctor=doctor, start=start)
    return render(request, "queue/doctor_timetable.html", {
        "doctor": doctor, "sessions": sessions, "start": start, "end": start + step - dt.timedelta(days=1),
        "prev": start - step, "next": start + step, "today": today, "now": timezone.now(),
        "policy": policy_for(doctor.hospital_id), "nav": "mine"})


def _doctor_panel_context(request, session_id, error: DomainError | None = None) -> dict:
    session, doctor, dctx = selectors.access_doctor_session(ctx=_ctx(request), session_id=session_id)
    view = selectors.session_queue(ctx=dctx, session=session)
    return {"session": session, "doctor": doctor, "q": view, "error": message_for(error) if error else "",
            "poll_seconds": _poll_seconds()}


@login_required
@require_GET
def doctor_session(request, session_id):
    context = _doctor_panel_context(request, session_id)
    context["sessions"] = selectors.todays_sessions(doctor=context["doctor"])
    context["nav"] = "mine"
    return render(request, "queue/doctor_queue.html", context)


@login_required
@require_GET
def doctor_panel(request, session_id):
    return render(request, "queue/_doctor_panel.html", _doctor_panel_context(request, session_id))


def _after_doctor_action(request, session_id, error: DomainError | None):
    if _is_htmx(request):
        return render(request, "queue/_doctor_panel.html", _doctor_panel_context(request, session_id, error))
    if error is not None:
        messages.error(request, message_for(error))
    return redirect("queue:doctor_session", session_id=session_id)


@login_required
@require_POST
def doctor_call_next(request, session_id):
    error = None
    try:
        services.call_next(ctx=_ctx(request), session_id=session_id)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        error = exc
    return _after_doctor_action(request, session_id, error)


@login_required
@require_POST
def doctor_entry_action(request, entry_id, action):
    if action not in DOCTOR_ACTIONS:
        raise EntryNotFound()
    entry, _, _ = selectors.access_doctor_entry(ctx=_ctx(request), entry_id=entry_id)
    error = None
    try:
        DOCTOR_ACTIONS[action](ctx=_ctx(request), entry_id=entry_id)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        error = exc
    return _after_doctor_action(request, entry.session.external_id, error)


# --- the patient -----------------------------------------------------------------------------------


def _patient_context(request, booking_id, error: DomainError | None = None) -> dict:
    booking = access_booking(ctx=_ctx(request), external_id=booking_id)
    return {"booking": booking, "status": selectors.queue_status(booking=booking),
            "error": message_for(error) if error else "", "poll_seconds": _poll_seconds(), "nav": "mine"}


@login_required
@require_GET
def patient_queue(request, booking_id):
    return render(request, "queue/patient_queue.html", _patient_context(request, booking_id))


@login_required
@require_GET
def patient_panel(request, booking_id):
    return render(request, "queue/_patient_panel.html", _patient_context(request, booking_id))


@login_required
@require_POST
def patient_check_in(request, booking_id):
    error = None
    try:
        services.check_in(ctx=_ctx(request), booking_id=booking_id)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        error = exc
    if _is_htmx(request):
        return render(request, "queue/_patient_panel.html", _patient_context(request, booking_id, error))
    if error is not None:
        messages.error(request, message_for(error))
    return redirect("queue:patient", booking_id=booking_id)


# --- the waiting-room screen -------------------------------------------------------------------------


def _board_context(department_id) -> dict:
    department = selectors.public_department(department_id=department_id)
    return {"department": department, "boards": selectors.department_board(department=department),
            "poll_seconds": _poll_seconds(), "now": timezone.now()}


@require_GET
def screen(request, department_id):
    return render(request, "queue/screen.html", _board_context(department_id))


@require_GET
def screen_board(request, department_id):
    return render(request, "queue/_board.html", _board_context(department_id))
