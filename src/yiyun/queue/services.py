"""Every change to a queue: the patient's check-in, and the doctor's call next (叫号), recall (重呼),
skip (过号) and finish (完成). Each takes the session's queue lock (always before the booking's row),
changes the booking only through yiyun.booking.services, writes the trail and the access log, and after
commit tells the screens and pages (yiyun.queue.broadcast) and sends "your turn is near" once.

Ordering rules (yiyun.queue.ordering holds the arithmetic):
- On time (checked in no later than the end of the booking's window): called by number.
- Late (checked in after the window ended, within the grace period): after the on-time numbers of the
  later of the booking's own window and the window being served (the latest window among the patients
  called so far), after any late or requeued patients already placed there. Being late never moves a
  patient ahead of where their own number would have put them.
- Missed call (过号): back into the queue after the next N waiting patients (N = the hospital's
  `missed_call_requeue_after`; after the last one when fewer wait; never ahead of their old place).
  The `max_missed_calls`-th miss ends the entry and makes the booking a no-show.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from yiyun.audit.models import AccessLog
from yiyun.audit.services import AccessContext, record_access
from yiyun.booking import services as booking_services
from yiyun.booking.errors import SessionStopped
from yiyun.booking.models import Booking
from yiyun.booking.selectors import access_booking
from yiyun.booking.states import Status
from yiyun.core.masking import mask_name
from yiyun.notifications.models import Kind, Notification
from yiyun.notifications.services import notify
from yiyun.queue import broadcast, ordering
from yiyun.queue.errors import (
    CheckInClosed,
    CheckInNotAllowed,
    CheckInNotOpen,
    CurrentNotFinished,
    EntryNotCalled,
    NotPaid,
    QueueEmpty,
)
from yiyun.queue.models import QueueEntry, QueueEvent, SessionQueue
from yiyun.queue.selectors import access_doctor_entry, access_doctor_session, checkin_window
from yiyun.queue.states import EntryStatus, can_transition
from yiyun.scheduling.models import Session, Window
from yiyun.scheduling.services import policy_for

NEAR_AHEAD = 3  # "your turn is near" when this many or fewer wait ahead


# --- check-in --------------------------------------------------------------------------------------


def check_in(*, ctx: AccessContext, booking_id, now: dt.datetime | None = None) -> QueueEntry:
    """The patient checks in from the phone (owner only; 404 and a denied log row for anyone else).
    Idempotent: checking in again returns the same entry."""
    now = now or timezone.now()
    booking = access_booking(ctx=ctx, external_id=booking_id, action=AccessLog.Action.UPDATE)
    return enqueue(booking=booking, now=now, actor=ctx.actor)


def _check_can_enqueue(booking: Booking, now: dt.datetime) -> None:
    if not booking.session.is_open:
        raise SessionStopped()
    if booking.status == Status.HELD:
        raise NotPaid()
    if booking.status == Status.CHECKED_IN:
        return  # checked in elsewhere (e.g. at the desk through booking.services): just join the queue
    if booking.status != Status.CONFIRMED:
        raise CheckInNotAllowed(fields={"status": booking.status})
    opens, closes = checkin_window(booking)
    if now < opens:
        local = timezone.localtime(opens)
        raise CheckInNotOpen(f"{local:%H:%M}起可签到", f"Check-in opens at {local:%H:%M}",
                             fields={"opens_at": opens.isoformat()})
    if now > closes:
        local = timezone.localtime(closes)
        raise CheckInClosed(f"签到已于{local:%H:%M}截止，请到分诊台咨询",
                            f"Check-in closed at {local:%H:%M}; please ask at the triage desk",
                            fields={"closed_at": closes.isoformat()})


def enqueue(*, booking: Booking, now: dt.datetime, actor=None) -> QueueEntry:
    """Check the booking in (through booking.services) and put it in its session's queue."""
    existing = QueueEntry.objects.filter(booking=booking).first()
    if existing is not None:
        return existing
    _check_can_enqueue(booking, now)
    with transaction.atomic():
        queue = _lock_queue(booking.session)
        existing = QueueEntry.objects.filter(booking=booking).first()
        if existing is not None:
            return existing
        booking = booking_services.record_check_in(booking=booking, now=now, actor=actor)
        checked_in_at = booking.checked_in_at or now
        late = checked_in_at > booking.window.ends_at
        key = _late_key(queue, booking.window) if late else ordering.on_time_key(booking.number)
        entry = QueueEntry.objects.create(session=booking.session, booking=booking, window=booking.window,
                                          number=booking.number, sort_key=key, late=late,
                                          checked_in_at=checked_in_at)
        _event(entry, QueueEvent.Action.CHECK_IN, now, actor)
        _after_change(queue.session)
    return entry


# --- the doctor's buttons ----------------------------------------------------------------------------


def call_next(*, ctx: AccessContext, session_id, now: dt.datetime | None = None) -> QueueEntry:
    """叫号: the first waiting patient by sort key. One patient is called at a time per session."""
    now = now or timezone.now()
    session, _, dctx = access_doctor_session(ctx=ctx, session_id=session_id, now=now)
    if not session.is_open:
        raise SessionStopped()
    with transaction.atomic():
        queue = _lock_queue(session)
        if queue.current_id is not None and queue.current.status == EntryStatus.CALLED:
            raise CurrentNotFinished(fields={"current": str(queue.current.external_id)})
        entry = _first_waiting(queue, now, ctx.actor)
        if entry is None:
            raise QueueEmpty()
        _move(entry, EntryStatus.CALLED)
        entry.called_at, entry.call_count = now, 1
        entry.save(update_fields=["status", "called_at", "call_count"])
        queue.current = entry
        queue.last_call_at = now
        if queue.serving_window is None or entry.window.starts_at > queue.serving_window.starts_at:
            queue.serving_window = entry.window
        queue.save(update_fields=["current", "last_call_at", "serving_window"])
        _event(entry, QueueEvent.Action.CALL, now, ctx.actor)
        _log_action(dctx, entry)
        broadcast.patient_called(entry=entry, recall=False)
        _after_change(session)
    return entry


def recall(*, ctx: AccessContext, entry_id, now: dt.datetime | None = None) -> QueueEntry:
    """重呼: announce the patient being called again."""
    now = now or timezone.now()
    entry, _, dctx = access_doctor_entry(ctx=ctx, entry_id=entry_id, now=now)
    with transaction.atomic():
        queue = _lock_queue(entry.session)
        entry = _locked_called(entry)
        entry.call_count += 1
        entry.save(update_fields=["call_count"])
        queue.last_call_at = now
        queue.save(update_fields=["last_call_at"])
        _event(entry, QueueEvent.Action.RECALL, now, ctx.actor)
        _log_action(dctx, entry)
        broadcast.patient_called(entry=entry, recall=True)
        _after_change(entry.session)
    return entry


def skip(*, ctx: AccessContext, entry_id, now: dt.datetime | None = None) -> QueueEntry:
    """过号: the called patient did not come. Requeued after N waiting patients, or, at the hospital's
    limit of missed calls, taken off the queue and the booking recorded as a no-show."""
    now = now or timezone.now()
    entry, _, dctx = access_doctor_entry(ctx=ctx, entry_id=entry_id, now=now)
    policy = policy_for(entry.session.hospital_id)
    with transaction.atomic():
        queue = _lock_queue(entry.session)
        entry = _locked_called(entry)
        entry.missed_calls += 1
        if entry.missed_calls >= policy.max_missed_calls:
            _move(entry, EntryStatus.NO_SHOW)
            entry.save(update_fields=["status", "missed_calls"])
            booking_services.record_no_show(booking=entry.booking, now=now, actor=ctx.actor,
                                            reason=f"叫号过号{entry.missed_calls}次未到，视为爽约")
            _event(entry, QueueEvent.Action.NO_SHOW, now, ctx.actor)
        else:
            _move(entry, EntryStatus.WAITING)
            entry.sort_key = _requeue_key(queue, entry, policy.missed_call_requeue_after)
            entry.called_at, entry.call_count = None, 0
            entry.save(update_fields=["status", "missed_calls", "sort_key", "called_at", "call_count"])
            _event(entry, QueueEvent.Action.SKIP, now, ctx.actor)
        _release_current(queue, entry)
        _log_action(dctx, entry)
        _after_change(entry.session)
    return entry


def finish(*, ctx: AccessContext, entry_id, now: dt.datetime | None = None) -> QueueEntry:
    """完成: the visit is over; the booking is recorded as completed."""
    now = now or timezone.now()
    entry, _, dctx = access_doctor_entry(ctx=ctx, entry_id=entry_id, now=now)
    with transaction.atomic():
        queue = _lock_queue(entry.session)
        entry = _locked_called(entry)
        _move(entry, EntryStatus.DONE)
        entry.finished_at = now
        entry.save(update_fields=["status", "finished_at"])
        booking_services.record_completion(booking=entry.booking, now=now, actor=ctx.actor)
        _event(entry, QueueEvent.Action.FINISH, now, ctx.actor)
        _release_current(queue, entry)
        _log_action(dctx, entry)
        _after_change(entry.session)
    return entry


# --- steps -----------------------------------------------------------------------------------------


def _lock_queue(session: Session) -> SessionQueue:
    SessionQueue.objects.get_or_create(session=session)
    return (SessionQueue.objects.select_for_update(of=("self",)).select_related("current", "serving_window",
                                                                    "session__department", "session__doctor")
            .get(session=session))


def _move(entry: QueueEntry, target: str) -> None:
    if not can_transition(entry.status, target):
        raise EntryNotCalled(fields={"status": entry.status})
    entry.status = target


def _locked_called(entry: QueueEntry) -> QueueEntry:
    entry = (QueueEntry.objects.select_related("session__department", "session__doctor", "booking__patient",
                                               "window").get(pk=entry.pk))
    if entry.status != EntryStatus.CALLED:
        raise EntryNotCalled(fields={"status": entry.status})
    return entry


def _release_current(queue: SessionQueue, entry: QueueEntry) -> None:
    if queue.current_id == entry.pk:
        queue.current = None
        queue.save(update_fields=["current"])


def _first_waiting(queue: SessionQueue, now: dt.datetime, actor) -> QueueEntry | None:
    """The first waiting entry whose booking is still checked in; entries whose booking left that state
    elsewhere (停诊, …) leave the queue on the way."""
    waiting = (QueueEntry.objects.filter(session_id=queue.session_id, status=EntryStatus.WAITING)
               .select_related("booking__patient", "window", "session__department", "session__doctor")
               .order_by("sort_key", "id"))
    for entry in waiting:
        if entry.booking.status == Status.CHECKED_IN:
            return entry
        _move(entry, EntryStatus.LEFT)
        entry.save(update_fields=["status"])
        _event(entry, QueueEvent.Action.LEFT, now, actor)
    return None


def _keys(session_id: int) -> list[int]:
    return list(QueueEntry.objects.filter(session_id=session_id).values_list("sort_key", flat=True))


def _insert_after(session_id: int, after: int) -> int:
    """A free key just after `after`, re-spacing that one slot when its gap is used up."""
    key = ordering.key_after(after, _keys(session_id))
    if key is not None:
        return key
    slot = ordering.slot_of(after)
    rows = list(QueueEntry.objects.filter(session_id=session_id, sort_key__gte=slot * ordering.SLOT,
                                          sort_key__lt=(slot + 1) * ordering.SLOT).values_list("pk", "sort_key"))
    moved = ordering.respace([k for _, k in rows])
    for pk, old in rows:
        if old in moved:
            QueueEntry.objects.filter(pk=pk).update(sort_key=moved[old])
    return ordering.key_after(moved.get(after, after), _keys(session_id))


def _late_key(queue: SessionQueue, window: Window) -> int:
    anchor = window
    if queue.serving_window is not None and queue.serving_window.starts_at > window.starts_at:
        anchor = queue.serving_window
    last_number = anchor.first_number + anchor.capacity - 1
    return _insert_after(queue.session_id, ordering.late_anchor(last_number, _keys(queue.session_id)))


def _requeue_key(queue: SessionQueue, entry: QueueEntry, after_patients: int) -> int:
    waiting = list(QueueEntry.objects.filter(session_id=queue.session_id, status=EntryStatus.WAITING)
                   .exclude(pk=entry.pk).order_by("sort_key", "id").values_list("sort_key", flat=True))
    anchor = ordering.requeue_anchor(waiting_keys=waiting, after_patients=max(1, after_patients),
                                     own_key=entry.sort_key)
    return entry.sort_key if anchor is None else _insert_after(queue.session_id, anchor)


def _event(entry: QueueEntry, action: str, now: dt.datetime, actor) -> None:
    QueueEvent.objects.create(entry=entry, at=now, action=action, sort_key=entry.sort_key,
                              actor=actor if getattr(actor, "pk", None) else None)


def _log_action(ctx: AccessContext, entry: QueueEntry) -> None:
    record_access(ctx, patient=entry.booking.patient_id, action=AccessLog.Action.UPDATE, record_type="queue_entry",
                  record_id=entry.external_id)


def _after_change(session: Session) -> None:
    broadcast.queue_changed(session=session)
    session_id = session.pk
    transaction.on_commit(lambda: tell_turn_near(session_id=session_id))


# --- "your turn is near" -----------------------------------------------------------------------------


def tell_turn_near(*, session_id: int) -> int:
    """Tell every waiting patient with NEAR_AHEAD or fewer ahead, once per booking (in-app + SMS)."""
    head = (QueueEntry.objects.filter(session_id=session_id, status=EntryStatus.WAITING)
            .select_related("booking__account", "booking__patient", "booking__doctor", "booking__department")
            .order_by("sort_key", "id")[:NEAR_AHEAD + 1])
    keys = {f"queue-near:{e.booking.external_id}": e for e in head}
    told = set(Notification.objects.filter(dedupe_key__in=list(keys)).values_list("dedupe_key", flat=True))
    sent = 0
    for ahead, entry in enumerate(head):
        b = entry.booking
        if f"queue-near:{b.external_id}" in told:
            continue
        where = b.department.location or b.department.name
        note = notify(
            account=b.account, kind=Kind.QUEUE_NEAR, title="即将轮到您就诊",
            body=f"就诊人{b.patient.name}：{b.department.name} {b.doctor.name}医生，您是{b.number}号，"
                 f"前面还有{ahead}人。请到{where}诊室门口候诊，留意叫号。",
            link=f"/me/bookings/{b.external_id}/queue/",
            sms=f"【医云】{mask_name(b.patient.name)}的{b.number}号即将就诊（前面{ahead}人），请到{where}候诊。",
            dedupe_key=f"queue-near:{b.external_id}")
        sent += note is not None
    return sent
