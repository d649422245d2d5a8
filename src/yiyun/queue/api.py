"""Queue endpoints: a patient checks in and follows their place; a doctor lists today's sessions and their
timetable, reads a queue and presses call next, recall, skip, finish. Errors use the one envelope."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Router, Schema

from yiyun.audit.models import AccessLog
from yiyun.audit.services import context_from_request
from yiyun.booking.selectors import access_booking
from yiyun.core.apikit import ERROR_RESPONSES
from yiyun.queue import selectors, services
from yiyun.queue.models import QueueEntry
from yiyun.scheduling import selectors as scheduling_selectors

router = Router(tags=["候诊叫号 Queue"])


class QueueStatusOut(Schema):
    booking_id: str
    status: str
    number: int
    position: int | None  # patients waiting ahead (前面还有N人)
    now_calling: int | None
    eta_minutes: int | None
    late: bool
    missed_calls: int
    checked_in_at: dt.datetime | None
    checkin_opens_at: dt.datetime
    checkin_closes_at: dt.datetime


class DoctorSessionOut(Schema):
    id: str
    date: dt.date
    period: str
    period_label: str
    department_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    booked: int
    waiting: int
    done: int
    now_calling: int | None


class TimetableSessionOut(Schema):
    id: str
    date: dt.date
    period: str
    period_label: str
    department_name: str
    campus_name: str | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    release_at: dt.datetime
    visit_type: str
    fee_fen: int
    booked: int  # active bookings
    places: int  # online numbers
    status: str  # open | stopped | covered (handed to a substitute) | covering (for another doctor)
    doctor_name: str  # who sees the patients (the substitute when covered)
    covering_for: str | None  # whom this doctor covers for
    change_reason: str


class EntryOut(Schema):
    id: str
    number: int
    patient_name: str
    sex: str
    age: int
    status: str
    status_label: str
    late: bool
    missed_calls: int
    checked_in_at: dt.datetime
    waiting_minutes: int
    called_at: dt.datetime | None
    call_count: int


class SessionQueueOut(Schema):
    session_id: str
    current: EntryOut | None
    waiting: list[EntryOut]
    done: int
    no_show: int
    not_arrived: int
    minutes_per_visit: float


def _ctx(request):
    return context_from_request(request, channel=AccessLog.Channel.API)


def status_out(booking, status) -> dict:
    return {"booking_id": str(booking.external_id), "status": status.state, "number": status.number,
            "position": status.ahead, "now_calling": status.now_calling, "eta_minutes": status.eta_minutes,
            "late": status.late, "missed_calls": status.missed_calls, "checked_in_at": status.checked_in_at,
            "checkin_opens_at": status.checkin_opens_at, "checkin_closes_at": status.checkin_closes_at}


def entry_out(row) -> dict:
    return {"id": row.id, "number": row.number, "patient_name": row.name, "sex": row.sex, "age": row.age,
            "status": row.status, "status_label": row.status_label, "late": row.late,
            "missed_calls": row.missed_calls, "checked_in_at": row.checked_in_at,
            "waiting_minutes": row.waiting_minutes, "called_at": row.called_at, "call_count": row.call_count}


def _queue_out(request, session_id) -> dict:
    session, _, dctx = selectors.access_doctor_session(ctx=_ctx(request), session_id=session_id)
    view = selectors.session_queue(ctx=dctx, session=session)
    return {"session_id": str(session.external_id), "current": entry_out(view.current) if view.current else None,
            "waiting": [entry_out(r) for r in view.waiting], "done": len(view.done), "no_show": view.no_show,
            "not_arrived": view.not_arrived, "minutes_per_visit": round(view.minutes_per_visit, 1)}


# --- patients --------------------------------------------------------------------------------------


@router.post("/bookings/{booking_id}/check-in", response={200: QueueStatusOut, **ERROR_RESPONSES},
             summary="签到（在医院规定的时间窗内；重复签到返回同一结果）")
def check_in(request, booking_id: str):
    services.check_in(ctx=_ctx(request), booking_id=booking_id)
    booking = access_booking(ctx=_ctx(request), external_id=booking_id)
    return status_out(booking, selectors.queue_status(booking=booking))


@router.get("/bookings/{booking_id}/queue", response={200: QueueStatusOut, **ERROR_RESPONSES},
            summary="我的候诊：前面人数、正在叫号、预计等待")
def my_queue(request, booking_id: str):
    booking = access_booking(ctx=_ctx(request), external_id=booking_id)
    return status_out(booking, selectors.queue_status(booking=booking))


# --- doctors ---------------------------------------------------------------------------------------


@router.get("/doctor/sessions", response={200: list[DoctorSessionOut], **ERROR_RESPONSES}, summary="医生：今日出诊")
def doctor_sessions(request):
    doctor, _ = selectors.doctor_context(_ctx(request))
    return [{"id": str(s.external_id), "date": s.date, "period": s.period, "period_label": s.get_period_display(),
             "department_name": s.department.name, "starts_at": s.starts_at, "ends_at": s.ends_at,
             "status": s.status, "booked": s.booked, "waiting": s.waiting, "done": s.done, "now_calling": s.calling}
            for s in selectors.todays_sessions(doctor=doctor)]


@router.get("/doctor/timetable", response={200: list[TimetableSessionOut], **ERROR_RESPONSES},
            summary="医生：我的排班（两周）")
def doctor_timetable(request, start: dt.date | None = None):
    """The acting doctor's sessions for 14 days from `start` (default today), stopped and substituted ones too."""
    doctor, _ = selectors.doctor_context(_ctx(request))
    rows = scheduling_selectors.doctor_timetable(doctor=doctor, start=start or timezone.localdate())
    return [timetable_out(s) for s in rows]


def timetable_out(s) -> dict:
    return {"id": str(s.external_id), "date": s.date, "period": s.period, "period_label": s.get_period_display(),
            "department_name": s.department.name, "campus_name": s.campus.name if s.campus else None,
            "starts_at": s.starts_at, "ends_at": s.ends_at, "release_at": s.release_at, "visit_type": s.visit_type.name,
            "fee_fen": s.fee_fen, "booked": s.booked, "places": s.places, "status": s.role,
            "doctor_name": s.doctor.name,
            "covering_for": s.original_doctor.name if s.role == "covering" else None,
            "change_reason": s.change_reason}


@router.get("/doctor/sessions/{session_id}/queue", response={200: SessionQueueOut, **ERROR_RESPONSES},
            summary="医生：本次出诊的候诊队列")
def doctor_queue(request, session_id: str):
    return _queue_out(request, session_id)


@router.post("/doctor/sessions/{session_id}/call-next", response={200: EntryOut, **ERROR_RESPONSES},
             summary="医生：叫号（下一位）")
def call_next(request, session_id: str):
    entry = services.call_next(ctx=_ctx(request), session_id=session_id)
    return _entry_answer(request, entry)


@router.post("/doctor/queue-entries/{entry_id}/recall", response={200: EntryOut, **ERROR_RESPONSES},
             summary="医生：重呼")
def recall(request, entry_id: str):
    return _entry_answer(request, services.recall(ctx=_ctx(request), entry_id=entry_id))


@router.post("/doctor/queue-entries/{entry_id}/skip", response={200: EntryOut, **ERROR_RESPONSES},
             summary="医生：过号（按规则重新排队，超过次数记爽约）")
def skip(request, entry_id: str):
    return _entry_answer(request, services.skip(ctx=_ctx(request), entry_id=entry_id))


@router.post("/doctor/queue-entries/{entry_id}/finish", response={200: EntryOut, **ERROR_RESPONSES},
             summary="医生：完成就诊")
def finish(request, entry_id: str):
    return _entry_answer(request, services.finish(ctx=_ctx(request), entry_id=entry_id))


def _entry_answer(request, entry) -> dict:
    entry = QueueEntry.objects.select_related("booking__patient").get(pk=entry.pk)
    return entry_out(selectors.entry_row(entry, timezone.now()))
