"""Reads for the queue pages and API: whose sessions a doctor may run (404 and a denied log row for
anyone else), the doctor's view of a queue (logged per patient shown), a patient's position and
estimated wait, and the public department board (numbers and masked names only)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from yiyun.audit.models import AccessLog
from yiyun.audit.services import AccessContext, record_access, record_list_access
from yiyun.booking.models import Booking
from yiyun.booking.states import Status
from yiyun.catalog.models import Department, Doctor
from yiyun.core.masking import mask_name_public
from yiyun.queue import eta
from yiyun.queue.errors import DepartmentNotFound, EntryNotFound, NotADoctor, SessionNotFound
from yiyun.queue.models import QueueEntry, SessionQueue
from yiyun.queue.states import EntryStatus
from yiyun.scheduling.models import Session, Window
from yiyun.scheduling.services import policy_for

BOARD_NEXT = 3  # how many waiting numbers the screen shows after the one being called


def _uuid(value, error):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise error from None


# --- the doctor ------------------------------------------------------------------------------------


def doctor_of(user) -> Doctor | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return Doctor.objects.filter(user=user, is_active=True).select_related("hospital").first()


def doctor_context(ctx: AccessContext) -> tuple[Doctor, AccessContext]:
    """The acting doctor, and the access context stamped with their hospital (operators see the rows)."""
    doctor = doctor_of(ctx.actor)
    if doctor is None:
        raise NotADoctor()
    return doctor, dataclasses.replace(ctx, hospital_id=doctor.hospital_id)


def _sessions():
    return Session.objects.select_related("department", "hospital", "visit_type", "doctor")


def todays_sessions(*, doctor: Doctor, now: dt.datetime | None = None) -> list[Session]:
    """The doctor's sessions today, each with `.waiting`, `.done`, `.booked` and `.calling` (a number)."""
    today = timezone.localdate(now or timezone.now())
    sessions = list(_sessions().filter(doctor=doctor, date=today).order_by("starts_at").annotate(
        booked=Count("bookings", filter=Q(bookings__status__in=[Status.CONFIRMED, Status.CHECKED_IN,
                                                                Status.COMPLETED]), distinct=True),
        waiting=Count("queue_entries", filter=Q(queue_entries__status=EntryStatus.WAITING), distinct=True),
        done=Count("queue_entries", filter=Q(queue_entries__status=EntryStatus.DONE), distinct=True)))
    calling = dict(SessionQueue.objects.filter(session__in=sessions, current__status=EntryStatus.CALLED)
                   .values_list("session_id", "current__number"))
    for session in sessions:
        session.calling = calling.get(session.pk)
    return sessions


def access_doctor_session(*, ctx: AccessContext, session_id,
                          now: dt.datetime | None = None) -> tuple[Session, Doctor, AccessContext]:
    """A session the acting doctor runs today; anyone else gets 404 (a denied attempt is logged)."""
    doctor, dctx = doctor_context(ctx)
    session = _sessions().filter(external_id=_uuid(session_id, SessionNotFound())).first()
    today = timezone.localdate(now or timezone.now())
    allowed = session is not None and session.doctor_id == doctor.pk and session.date == today
    if session is not None and not allowed:
        record_access(dctx, patient=None, action=AccessLog.Action.VIEW, outcome=AccessLog.Outcome.DENIED,
                      record_type="queue_session", record_id=session.external_id)
    if not allowed:
        raise SessionNotFound()
    return session, doctor, dctx


def access_doctor_entry(*, ctx: AccessContext, entry_id,
                        now: dt.datetime | None = None) -> tuple[QueueEntry, Doctor, AccessContext]:
    """A queue entry of a session the acting doctor runs today; else 404, logged against the patient."""
    doctor, dctx = doctor_context(ctx)
    entry = (QueueEntry.objects.select_related("session__department", "session__doctor", "booking__patient")
             .filter(external_id=_uuid(entry_id, EntryNotFound())).first())
    today = timezone.localdate(now or timezone.now())
    allowed = entry is not None and entry.session.doctor_id == doctor.pk and entry.session.date == today
    if entry is not None and not allowed:
        record_access(dctx, patient=entry.booking.patient_id, action=AccessLog.Action.UPDATE,
                      outcome=AccessLog.Outcome.DENIED, record_type="queue_entry", record_id=entry.external_id)
    if not allowed:
        raise EntryNotFound()
    return entry, doctor, dctx


@dataclass(frozen=True)
class EntryRow:
    """What a doctor sees of a waiting patient: enough to call and recognise them, nothing more."""

    id: str
    number: int
    name: str
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


def entry_row(entry: QueueEntry, now: dt.datetime) -> EntryRow:
    patient = entry.booking.patient
    return EntryRow(
        id=str(entry.external_id), number=entry.number, name=patient.name, sex=patient.get_sex_display(),
        age=patient.age_on(timezone.localdate(now)), status=entry.status, status_label=entry.get_status_display(),
        late=entry.late, missed_calls=entry.missed_calls, checked_in_at=entry.checked_in_at,
        waiting_minutes=max(0, int((now - entry.checked_in_at).total_seconds() // 60)),
        called_at=entry.called_at, call_count=entry.call_count)


@dataclass(frozen=True)
class SessionQueueView:
    session: Session
    current: EntryRow | None
    waiting: list[EntryRow]
    done: list[EntryRow]
    no_show: int
    not_arrived: int
    minutes_per_visit: float


def session_queue(*, ctx: AccessContext, session: Session, now: dt.datetime | None = None) -> SessionQueueView:
    """The doctor's view of a session's queue (call `access_doctor_session` first). Every patient shown
    is written to the access log, with the doctor's hospital."""
    now = now or timezone.now()
    entries = list(QueueEntry.objects.filter(session=session).select_related("booking__patient")
                   .order_by("sort_key", "id"))
    shown = [e for e in entries if e.status in (EntryStatus.WAITING, EntryStatus.CALLED, EntryStatus.DONE)]
    record_list_access(ctx, patients=[e.booking.patient for e in shown], record_type="queue")
    current = next((e for e in entries if e.status == EntryStatus.CALLED), None)
    done = sorted((e for e in entries if e.status == EntryStatus.DONE), key=lambda e: e.finished_at, reverse=True)
    not_arrived = Booking.objects.filter(session=session, status=Status.CONFIRMED).count()
    return SessionQueueView(
        session=session, current=entry_row(current, now) if current else None,
        waiting=[entry_row(e, now) for e in entries if e.status == EntryStatus.WAITING],
        done=[entry_row(e, now) for e in done], no_show=sum(e.status == EntryStatus.NO_SHOW for e in entries),
        not_arrived=not_arrived, minutes_per_visit=minutes_per_visit(session=session))


# --- the estimate ----------------------------------------------------------------------------------


def minutes_per_visit(*, session: Session) -> float:
    """See yiyun.queue.eta: the doctor's last finished visits today, the scheduled pace for the rest."""
    recent = (QueueEntry.objects.filter(session__doctor_id=session.doctor_id, session__date=session.date,
                                        status=EntryStatus.DONE, called_at__isnull=False, finished_at__isnull=False)
              .order_by("-finished_at").values_list("called_at", "finished_at")[:eta.RECENT_VISITS])
    durations = [(finished - called).total_seconds() / 60 for called, finished in recent]
    window = Window.objects.filter(session_id=session.pk).order_by("starts_at").first()
    pace = eta.DEFAULT_PACE if window is None else eta.scheduled_pace(
        window_minutes=(window.ends_at - window.starts_at).total_seconds() / 60, places=window.capacity)
    return eta.minutes_per_visit(durations, pace=pace)


# --- the patient -----------------------------------------------------------------------------------


def checkin_window(booking: Booking) -> tuple[dt.datetime, dt.datetime]:
    """From `checkin_opens_minutes` before the booking's window starts to `late_grace_minutes` after it
    ends (both inclusive; after the window's end a check-in counts as late)."""
    policy = policy_for(booking.hospital_id)
    return (booking.window.starts_at - dt.timedelta(minutes=policy.checkin_opens_minutes),
            booking.window.ends_at + dt.timedelta(minutes=policy.late_grace_minutes))


@dataclass(frozen=True)
class QueueStatus:
    """A patient's place: `state` is one of not_checked_in, too_early, checkin_closed, unpaid, waiting,
    called, done, no_show, inactive."""

    state: str
    number: int
    ahead: int | None
    now_calling: int | None
    eta_minutes: int | None
    late: bool
    missed_calls: int
    checked_in_at: dt.datetime | None
    checkin_opens_at: dt.datetime
    checkin_closes_at: dt.datetime

    @property
    def can_check_in(self) -> bool:
        return self.state == "not_checked_in"


def _not_in_queue_state(booking: Booking, now: dt.datetime, opens: dt.datetime, closes: dt.datetime) -> str:
    if booking.status == Status.HELD:
        return "unpaid"
    if booking.status != Status.CONFIRMED or not booking.session.is_open:
        return "inactive"
    if now < opens:
        return "too_early"
    if now > closes:
        return "checkin_closed"
    return "not_checked_in"


def queue_status(*, booking: Booking, now: dt.datetime | None = None) -> QueueStatus:
    """Position, number being called and estimated wait for a booking (its owner was checked by the
    caller through yiyun.booking.selectors.access_booking)."""
    now = now or timezone.now()
    opens, closes = checkin_window(booking)
    entry = QueueEntry.objects.filter(booking=booking).first()
    queue = SessionQueue.objects.filter(session_id=booking.session_id).select_related("current").first()
    calling = queue.current.number if queue and queue.current and queue.current.status == EntryStatus.CALLED \
        else None
    base = {"number": booking.number, "now_calling": calling, "checkin_opens_at": opens, "checkin_closes_at": closes}
    if entry is None:
        return QueueStatus(state=_not_in_queue_state(booking, now, opens, closes), ahead=None, eta_minutes=None,
                           late=False, missed_calls=0, checked_in_at=None, **base)
    ahead = eta_minutes = None
    if entry.status == EntryStatus.WAITING:
        ahead = QueueEntry.objects.filter(session_id=entry.session_id, status=EntryStatus.WAITING).filter(
            Q(sort_key__lt=entry.sort_key) | Q(sort_key=entry.sort_key, id__lt=entry.id)).count()
        eta_minutes = _eta(booking.session, ahead, queue, now)
    return QueueStatus(state=entry.status, ahead=ahead, eta_minutes=eta_minutes, late=entry.late,
                       missed_calls=entry.missed_calls, checked_in_at=entry.checked_in_at, **base)


def _eta(session: Session, ahead: int, queue: SessionQueue | None, now: dt.datetime) -> int:
    current = queue.current if queue and queue.current and queue.current.status == EntryStatus.CALLED else None
    elapsed = (now - current.called_at).total_seconds() / 60 if current and current.called_at else None
    return eta.wait_minutes(ahead=ahead, per_visit=minutes_per_visit(session=session), current_elapsed=elapsed,
                            until_start=(session.starts_at - now).total_seconds() / 60)


# --- the waiting-room screen -------------------------------------------------------------------------


def public_department(*, department_id) -> Department:
    department = (Department.objects.select_related("hospital")
                  .filter(external_id=_uuid(department_id, DepartmentNotFound())).first())
    if department is None:
        raise DepartmentNotFound()
    return department


@dataclass(frozen=True)
class BoardCall:
    number: int
    name: str  # masked: 王*明


@dataclass(frozen=True)
class SessionBoard:
    session_id: str
    doctor: str
    title: str
    period: str
    room: str
    stopped: bool
    calling: BoardCall | None
    next: list[BoardCall]
    waiting: int


def department_board(*, department: Department, now: dt.datetime | None = None) -> list[SessionBoard]:
    """Today's sessions of a department for the public screen: numbers and masked names only. A session
    that has ended and has nobody waiting is left off."""
    now = now or timezone.now()
    sessions = list(_sessions().filter(department=department, date=timezone.localdate(now))
                    .order_by("starts_at", "doctor__name"))
    entries = (QueueEntry.objects.filter(session__in=sessions, status__in=[EntryStatus.WAITING, EntryStatus.CALLED])
               .select_related("booking__patient").order_by("sort_key", "id"))
    by_session: dict[int, list[QueueEntry]] = {s.pk: [] for s in sessions}
    for entry in entries:
        by_session[entry.session_id].append(entry)
    boards = []
    for session in sessions:
        rows = by_session[session.pk]
        if not rows and session.ends_at < now:
            continue  # a finished session with nobody left leaves the screen
        called = next((e for e in rows if e.status == EntryStatus.CALLED), None)
        waiting = [e for e in rows if e.status == EntryStatus.WAITING]
        boards.append(SessionBoard(
            session_id=str(session.external_id), doctor=session.doctor.name, title=session.doctor.get_title_display(),
            period=session.get_period_display(), room=department.location or department.name,
            stopped=not session.is_open,
            calling=BoardCall(called.number, mask_name_public(called.booking.patient.name)) if called else None,
            next=[BoardCall(e.number, mask_name_public(e.booking.patient.name)) for e in waiting[:BOARD_NEXT]],
            waiting=len(waiting)))
    return boards
