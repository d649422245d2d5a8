"""Every change to a booking goes through here: book, pay, cancel, expire, 停诊, no-show, check-in and
completion, waitlist. Each transition is checked against `states.TRANSITIONS`, written with its event
row, and followed (after commit) by the notification that tells the patient."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from yiyun.audit.models import AccessLog
from yiyun.audit.services import AccessContext, record_access
from yiyun.booking import claims, facts, gate
from yiyun.booking.errors import (
    BookingLimit,
    CancelTooLate,
    DuplicateBooking,
    InvalidTransition,
    NotEligible,
    NotReleased,
    NotVerified,
    SessionStopped,
    Suspended,
    WindowClosed,
    WindowFull,
    WindowNotFound,
)
from yiyun.booking.models import Booking, BookingEvent, Channel, Suspension, Ticket, WaitlistEntry
from yiyun.booking.precheck import Precheck, rate_limits
from yiyun.booking.states import ACTIVE, Status, can_transition
from yiyun.core import ratelimit
from yiyun.core.errors import NotFound
from yiyun.core.masking import mask_name
from yiyun.notifications.models import Kind
from yiyun.notifications.services import notify
from yiyun.patients.policies import can_access
from yiyun.scheduling.models import Window
from yiyun.scheduling.services import policy_for

PATIENT_NOT_FOUND = ("未找到该就诊人", "Patient not found")
CLAIM_RETRIES = 3


@dataclass(frozen=True)
class BookResult:
    booking_id: int
    external_id: str
    number: int
    status: str
    hold_expires_at: dt.datetime | None
    created: bool
    # A new booking carries what the answer shows, so the API need not read the booking back.
    window: facts.WindowFacts | None = None
    patient: facts.PatientFacts | None = None
    source: str = ""


# --- numbers (号源) ---------------------------------------------------------------------------------


def create_tickets(*, windows: list[Window]) -> int:
    """The windows' numbers: in each, online places first, then on-site places, from `first_number`."""
    tickets = []
    for window in windows:
        numbers = [(Channel.ONLINE, n) for n in range(window.online_capacity)]
        numbers += [(Channel.ONSITE, window.online_capacity + n) for n in range(window.onsite_capacity)]
        tickets += [Ticket(session_id=window.session_id, window=window, channel=channel,
                           number=window.first_number + offset) for channel, offset in numbers]
    Ticket.objects.bulk_create(tickets)
    return len(tickets)


# --- booking -------------------------------------------------------------------------------------


def _check_rates(ctx: AccessContext, patient_key: str, counted: Precheck | None = None) -> None:
    if counted is not None and counted.check_rates(account_id=ctx.actor.pk, patient_key=patient_key, ip=ctx.ip):
        return
    ratelimit.hit_many(rate_limits(ctx.actor.pk, patient_key, ctx.ip))


def _patient_for(ctx: AccessContext, patient_external_id) -> facts.PatientFacts:
    patient = facts.patient_facts(patient_external_id)
    if patient is None or patient.removed or patient.account_id != ctx.actor.pk:
        if patient is not None:
            record_access(ctx, patient=patient.id, action=AccessLog.Action.CREATE,
                          outcome=AccessLog.Outcome.DENIED, record_type="booking", record_id="")
        raise NotFound(*PATIENT_NOT_FOUND, code="patient_not_found")
    if not patient.verified:
        raise NotVerified()
    return patient


def _check_open(window: facts.WindowFacts, now: dt.datetime) -> None:
    if not window.session_open:
        raise SessionStopped()
    if now < window.release_at:
        local = timezone.localtime(window.release_at)
        raise NotReleased(f"该号源将于{local:%m月%d日 %H:%M}开放预约", f"Opens at {local:%Y-%m-%d %H:%M}",
                          fields={"release_at": window.release_at.isoformat()})
    if now >= window.ends_at:
        raise WindowClosed()


def _check_eligible(window: facts.WindowFacts, patient: facts.PatientFacts) -> None:
    age = patient.age_on(window.visit_date)
    if window.sex and patient.sex != window.sex:
        raise NotEligible("该科室仅接待女性患者" if window.sex == "F" else "该科室仅接待男性患者",
                          "This department only sees " + ("women" if window.sex == "F" else "men"),
                          code="sex_restricted")
    if window.max_age is not None and age >= window.max_age:
        raise NotEligible(f"该科室仅接待{window.max_age}岁以下患者，请选择成人科室",
                          f"This department only sees patients under {window.max_age}", code="age_restricted")
    if window.min_age is not None and age < window.min_age:
        raise NotEligible(f"该科室仅接待{window.min_age}岁及以上患者，儿童请挂儿科",
                          f"This department only sees patients aged {window.min_age} or over", code="age_restricted")


def _check_suspension(window: facts.WindowFacts, patient: facts.PatientFacts, now: dt.datetime) -> None:
    suspended = Suspension.objects.filter(id_number_hash=patient.id_number_hash, hospital_id=window.hospital_id,
                                          starts_at__lte=now, ends_at__gt=now).values_list("ends_at", flat=True)
    _raise_if_suspended(suspended.first())


def _raise_if_suspended(until: dt.datetime | None) -> None:
    if until is not None:
        local = timezone.localtime(until)
        raise Suspended(f"因多次爽约，线上预约暂停至{local:%Y年%m月%d日}",
                        f"Online booking is suspended until {local:%Y-%m-%d} after repeated no-shows")


def _claim_request(ctx, window, patient, *, status, hold_expires_at, key, now, source) -> claims.ClaimRequest:
    return claims.ClaimRequest(
        account_id=ctx.actor.pk, patient_id=patient.id, patient_external_id=patient.external_id,
        window_id=window.id, session_id=window.session_id, hospital_id=window.hospital_id,
        department_id=window.department_id, doctor_id=window.doctor_id, visit_date=window.visit_date,
        fee_fen=window.fee_fen, status=status, source=source, idempotency_key=key, now=now,
        hold_expires_at=hold_expires_at, max_per_day=window.max_per_day, max_per_week=window.max_per_week,
        actor_role=ctx.actor_role, actor_label=ctx.actor_label, channel=ctx.channel, ip=ctx.ip,
        user_agent=ctx.user_agent, path=ctx.path, id_number_hash=patient.id_number_hash,
    )


def _replayed(booking_id: int) -> BookResult:
    b = Booking.objects.get(pk=booking_id)
    return BookResult(booking_id=b.pk, external_id=str(b.external_id), number=b.number, status=b.status,
                      hold_expires_at=b.hold_expires_at, created=False)


def _refuse(request: claims.ClaimRequest, window: facts.WindowFacts) -> BookResult | None:
    """Say why a claim took nothing; None means a number may still be free (try again)."""
    why = claims.why_not(request)
    _raise_if_suspended(why.suspended_until)  # checked before anything else, as it was before the claim
    if why.replay_booking_id is not None:
        return _replayed(why.replay_booking_id)
    if not why.session_open:
        facts.forget(window_external_id=window.external_id)
        raise SessionStopped()
    if not why.patient_ok:
        raise NotFound(*PATIENT_NOT_FOUND, code="patient_not_found")
    if why.duplicate and window.one_per_doctor_per_day:
        raise DuplicateBooking()
    if why.day_count >= window.max_per_day:
        raise BookingLimit(f"每位就诊人每天最多{window.max_per_day}个有效预约",
                           f"At most {window.max_per_day} active bookings per patient per day",
                           code="booking_limit_day")
    if why.week_count >= window.max_per_week:
        raise BookingLimit(f"每位就诊人每周最多{window.max_per_week}个有效预约",
                           f"At most {window.max_per_week} active bookings per patient per week",
                           code="booking_limit_week")
    if why.any_free:
        return None
    gate.mark_sold_out(window.id)
    raise WindowFull(window.external_id)


def sold_out_refusal(*, counted: Precheck, account_id: int, patient_id: str, ip: str,
                     idempotency_key: str = "") -> WindowFull | None:
    """What `book` would answer, when the precheck and the caches alone show it is "已约满": the rates were
    counted (and RateLimited is raised here as `book` raises it, first), the patient is this account's own,
    verified and not removed, the window is marked sold out, and the account holds no booking in it that a
    retried idempotency key could be asking for. None: `book` has to decide. Nothing is written either way
    (`book` writes nothing for a sold-out answer)."""
    if counted.counts is None or not counted.sold_out:
        return None
    counted.check_rates(account_id=account_id, patient_key=str(patient_id), ip=ip)
    patient = facts.patient_facts(patient_id)
    if patient is None or patient.removed or patient.account_id != account_id or not patient.verified:
        return None  # book answers (and logs a denied access) as it always has
    if (idempotency_key or "").strip() and gate.may_be_replay(counted.window.id, account_id):
        return None
    return WindowFull(counted.window.external_id)


def book(*, ctx: AccessContext, patient_id, window_id, idempotency_key: str = "",
         now: dt.datetime | None = None, precheck: Precheck | None = None) -> BookResult:
    """Book the lowest free online number of a window for one of the account's verified patients.
    First come, first served; a full window answers WindowFull (with the waitlist offered).
    `precheck`: the booking lane's Redis round trip (booking.precheck), which may have counted the rates."""
    now = now or timezone.now()
    key = (idempotency_key or "").strip()[:64]
    _check_rates(ctx, str(patient_id), precheck)
    window = precheck.window if precheck is not None else facts.window_facts(window_id)
    if window is None:
        raise WindowNotFound()
    patient = _patient_for(ctx, patient_id)
    if gate.is_sold_out(window.id):
        if key and gate.may_be_replay(window.id, ctx.actor.pk):
            replay = claims.replayed_booking_id(ctx.actor.pk, key)
            if replay is not None:
                return _replayed(replay)
        raise WindowFull(window.external_id)
    _check_open(window, now)
    _check_eligible(window, patient)
    # The no-show suspension is checked inside the claim's transaction (one round trip), see `_refuse`.
    paid = window.fee_fen > 0
    status = Status.HELD if paid else Status.CONFIRMED
    hold_until = now + dt.timedelta(minutes=window.hold_minutes) if paid else None
    request = _claim_request(ctx, window, patient, status=status, hold_expires_at=hold_until, key=key, now=now,
                             source=Booking.Source.ONLINE)
    for _ in range(CLAIM_RETRIES):
        claimed = claims.claim(request)
        if claimed is not None:
            if claimed.last:  # the last number: later attempts are answered "已约满" without the database
                transaction.on_commit(lambda pk=window.id: gate.mark_sold_out(pk))
            if not paid:
                transaction.on_commit(lambda pk=claimed.booking_id: _tell_confirmed(pk))
            return BookResult(booking_id=claimed.booking_id, external_id=str(claimed.external_id),
                              number=claimed.number, status=status, hold_expires_at=hold_until, created=True,
                              window=window, patient=patient, source=request.source)
        refused = _refuse(request, window)
        if refused is not None:
            return refused
    raise WindowFull(window.external_id)


# --- transitions -----------------------------------------------------------------------------------


def _transition(booking: Booking, target: str, *, now: dt.datetime, actor=None, reason: str = "") -> None:
    """Change state (the caller holds the row lock) and write the event row."""
    if not can_transition(booking.status, target):
        raise InvalidTransition(fields={"status": booking.status})
    previous = booking.status
    booking.status = target
    changed = ["status"]
    stamp = {Status.CONFIRMED: "confirmed_at", Status.CANCELLED: "cancelled_at", Status.STOPPED: "cancelled_at",
             Status.EXPIRED: "cancelled_at", Status.CHECKED_IN: "checked_in_at",
             Status.COMPLETED: "completed_at"}.get(target)
    if stamp:
        setattr(booking, stamp, now)
        changed.append(stamp)
    if reason and target in (Status.CANCELLED, Status.STOPPED, Status.EXPIRED, Status.NO_SHOW):
        booking.cancel_reason = reason[:200]
        changed.append("cancel_reason")
    booking.save(update_fields=changed)
    BookingEvent.objects.create(booking=booking, at=now, from_status=previous, to_status=target,
                                actor=actor if getattr(actor, "pk", None) else None, reason=reason[:200])


def _lock(booking_id: int) -> Booking:
    return Booking.objects.select_for_update().select_related("window", "session").get(pk=booking_id)


def _release_number(booking: Booking, *, now: dt.datetime, offer_waitlist: bool = True) -> None:
    """Free the booking's number; hand it to the first waiting patient, else reopen the window."""
    ticket = Ticket.objects.select_for_update().filter(booking=booking).first()
    if ticket is None:
        return
    ticket.booking = None
    ticket.save(update_fields=["booking"])
    window = booking.window
    can_reoffer = booking.session.is_open and window.ends_at > now and ticket.channel == Channel.ONLINE
    if offer_waitlist and can_reoffer and _offer_to_waitlist(ticket=ticket, now=now):
        return
    window_id = window.pk
    transaction.on_commit(lambda: gate.clear(window_id))


def _refund_if_paid(booking: Booking, reason: str) -> None:
    """Refund after this transaction commits (payments lock before bookings, never after)."""
    from yiyun.booking.payment import refund_after_commit

    refund_after_commit(booking=booking, reason=reason)


def cancel(*, ctx: AccessContext, booking_id, reason: str = "", now: dt.datetime | None = None) -> Booking:
    """The patient cancels (退号) before the hospital's deadline; a paid fee is refunded in full."""
    from yiyun.booking.selectors import access_booking

    now = now or timezone.now()
    booking = access_booking(ctx=ctx, external_id=booking_id, action=AccessLog.Action.UPDATE)
    with transaction.atomic():
        booking = _lock(booking.pk)
        if booking.status not in (Status.HELD, Status.CONFIRMED):
            raise InvalidTransition(fields={"status": booking.status})
        deadline = booking.window.starts_at - dt.timedelta(minutes=policy_for(booking.hospital_id).cancel_deadline_minutes)
        substituted = booking.session.original_doctor_id is not None
        if booking.status == Status.CONFIRMED and now > deadline and not substituted:
            raise CancelTooLate()
        _transition(booking, Status.CANCELLED, now=now, actor=ctx.actor, reason=reason or "患者取消")
        _release_number(booking, now=now)
        _refund_if_paid(booking, "患者退号")
        _close_waitlist_offer(booking, WaitlistEntry.Status.CANCELLED)
        transaction.on_commit(lambda: _tell(booking.pk, Kind.BOOKING_CANCELLED))
    return booking


def confirm_paid(*, booking_external_id: str, payment_ref: str, now: dt.datetime | None = None) -> bool:
    """The fee arrived. True if the booking took it (held → confirmed); False if the hold was already
    released (then the payment is refunded by the payments app)."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = (Booking.objects.select_for_update().select_related("window", "session")
                   .filter(external_id=booking_external_id).first())
        if booking is None:
            return False
        if booking.status == Status.CONFIRMED and booking.payment_ref == payment_ref:
            return True  # the same payment told twice
        if booking.status != Status.HELD:
            return False
        booking.payment_ref = payment_ref
        booking.save(update_fields=["payment_ref"])
        _transition(booking, Status.CONFIRMED, now=now, reason="支付成功")
        entry = WaitlistEntry.objects.filter(booking=booking).first()
        if entry is not None:
            entry.status = WaitlistEntry.Status.BOOKED
            entry.save(update_fields=["status"])
        transaction.on_commit(lambda: _tell_confirmed(booking.pk))
    return True


def expire_holds(*, now: dt.datetime | None = None, batch: int = 200) -> int:
    """Release bookings whose fee was not paid in time (and close their open payments)."""
    now = now or timezone.now()
    expired = 0
    due = list(Booking.objects.filter(status=Status.HELD, hold_expires_at__lte=now)
               .order_by("hold_expires_at").values_list("pk", flat=True)[:batch])
    for pk in due:
        payment_ref = Booking.objects.filter(pk=pk).values_list("payment_ref", flat=True).first()
        if payment_ref:
            from yiyun.booking.payment import sync_before_expiry

            sync_before_expiry(payment_ref=payment_ref)  # may confirm the booking: then it is no longer due
        with transaction.atomic():
            booking = (Booking.objects.select_for_update(skip_locked=True).select_related("window", "session")
                       .filter(pk=pk, status=Status.HELD, hold_expires_at__lte=now).first())
            if booking is None:
                continue
            _transition(booking, Status.EXPIRED, now=now, reason="超时未支付，号源已释放")
            _close_waitlist_offer(booking, WaitlistEntry.Status.EXPIRED)
            _release_number(booking, now=now)
            from yiyun.booking.payment import close_after_commit

            close_after_commit(booking=booking, reason="预约超时未支付，号源已释放")
            transaction.on_commit(lambda pk=pk: _tell(pk, Kind.BOOKING_EXPIRED))
            expired += 1
    return expired


def cancel_for_stopped_session(*, session, reason: str, actor=None, now: dt.datetime | None = None) -> int:
    """停诊: cancel and refund every active booking, close the waitlists, tell each patient with
    the first equivalent alternatives. Runs inside scheduling.services.stop_session's transaction."""
    from yiyun.booking.selectors import equivalent_alternatives

    now = now or timezone.now()
    bookings = list(Booking.objects.select_for_update().select_related("window", "session", "doctor", "hospital")
                    .filter(session=session, status__in=ACTIVE))
    for booking in bookings:
        _transition(booking, Status.STOPPED, now=now, actor=actor, reason=f"医院停诊：{reason}")
        _release_number(booking, now=now, offer_waitlist=False)
        _refund_if_paid(booking, "医院停诊退款")
        _close_waitlist_offer(booking, WaitlistEntry.Status.CLOSED)
        alternatives = equivalent_alternatives(booking=booking, limit=3, now=now)
        transaction.on_commit(lambda b=booking, alts=alternatives: _tell_stopped(b.pk, reason, alts))
    for entry in WaitlistEntry.objects.select_for_update().filter(window__session=session,
                                                                  status=WaitlistEntry.Status.WAITING):
        entry.status = WaitlistEntry.Status.CLOSED
        entry.save(update_fields=["status"])
        transaction.on_commit(lambda e=entry: _tell_waitlist_closed(e.pk, reason))
    transaction.on_commit(facts.forget_all)
    return len(bookings)


def forget_cached_facts() -> None:
    """Drop this process's cached window facts and rules after the timetable or a hospital's rules changed; other
    processes see the change within BOOKING_FACTS_TTL seconds."""
    facts.forget_all()


def notify_substitution(*, session, previous, reason: str, actor=None) -> int:
    """替诊: bookings move to the new doctor; each patient is told and may cancel free of the deadline."""
    now = timezone.now()
    moved = 0
    for booking in Booking.objects.select_for_update().filter(session=session, status__in=ACTIVE):
        try:
            with transaction.atomic():
                booking.doctor_id = session.doctor_id
                booking.save(update_fields=["doctor"])
        except IntegrityError:
            # The patient already has a booking with the substitute that day: release this one.
            booking.refresh_from_db()
            _transition(booking, Status.STOPPED, now=now, actor=actor, reason="替诊后与已有预约重复")
            _release_number(booking, now=now, offer_waitlist=False)
            _refund_if_paid(booking, "替诊后重复预约退款")
            continue
        BookingEvent.objects.create(booking=booking, at=now, from_status=booking.status, to_status=booking.status,
                                    actor=actor if getattr(actor, "pk", None) else None,
                                    reason=f"替诊：{previous.name}→{session.doctor.name}（{reason}）"[:200])
        transaction.on_commit(lambda b=booking: _tell_substituted(b.pk, previous.name, reason))
        moved += 1
    return moved


# --- check-in, completion, no-show (driven by the queue app and timed tasks) --------------------------


def record_check_in(*, booking: Booking, now: dt.datetime, actor=None) -> Booking:
    with transaction.atomic():
        booking = _lock(booking.pk)
        if booking.status == Status.CHECKED_IN:
            return booking
        _transition(booking, Status.CHECKED_IN, now=now, actor=actor, reason="签到")
    return booking


def record_completion(*, booking: Booking, now: dt.datetime, actor=None) -> Booking:
    with transaction.atomic():
        booking = _lock(booking.pk)
        if booking.status == Status.COMPLETED:
            return booking
        _transition(booking, Status.COMPLETED, now=now, actor=actor, reason="就诊完成")
    return booking


def record_no_show(*, booking: Booking, now: dt.datetime, reason: str, actor=None) -> Booking:
    with transaction.atomic():
        booking = _lock(booking.pk)
        if booking.status == Status.NO_SHOW:
            return booking
        _transition(booking, Status.NO_SHOW, now=now, actor=actor, reason=reason)
        _suspend_if_repeated(booking, now)
    return booking


def mark_no_shows(*, now: dt.datetime | None = None) -> int:
    """Confirmed bookings never checked in, once check-in has closed, become no-shows."""
    now = now or timezone.now()
    graces: dict[int, dt.timedelta] = {}
    count = 0
    for booking in Booking.objects.filter(status=Status.CONFIRMED, window__ends_at__lt=now).select_related("window"):
        grace = graces.setdefault(booking.hospital_id, dt.timedelta(
            minutes=policy_for(booking.hospital_id).late_grace_minutes))
        if booking.window.ends_at + grace < now:
            record_no_show(booking=booking, now=now, reason="未按时签到，视为爽约")
            count += 1
    return count


def _suspend_if_repeated(booking: Booking, now: dt.datetime) -> None:
    """N no-shows within the policy's period suspend online booking for the real person (by ID hash,
    across every account that manages them) at this hospital."""
    policy = policy_for(booking.hospital_id)
    id_hash = booking.patient.id_number_hash
    since = now - dt.timedelta(days=policy.no_show_window_days)
    no_shows = Booking.objects.filter(patient__id_number_hash=id_hash, hospital_id=booking.hospital_id,
                                      status=Status.NO_SHOW, window__starts_at__gte=since).count()
    if no_shows < policy.no_show_limit:
        return
    if Suspension.objects.filter(id_number_hash=id_hash, hospital_id=booking.hospital_id, ends_at__gt=now).exists():
        return
    until = now + dt.timedelta(days=policy.suspension_days)
    Suspension.objects.create(id_number_hash=id_hash, hospital_id=booking.hospital_id, starts_at=now, ends_at=until,
                              reason=f"{policy.no_show_window_days}天内爽约{no_shows}次")
    account_id, patient_name = booking.account_id, booking.patient.name
    transaction.on_commit(lambda: _tell_suspended(account_id, patient_name, until, booking.hospital.name))


def send_reminders(*, now: dt.datetime | None = None) -> int:
    """The day before a visit, once the hospital's reminder time has passed: one message per booking."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    tomorrow = today + dt.timedelta(days=1)
    sent = 0
    rows = Booking.objects.filter(visit_date=tomorrow, status=Status.CONFIRMED).select_related("hospital")
    for booking in rows:
        policy = policy_for(booking.hospital_id)
        if timezone.localtime(now).time() < policy.reminder_time:
            continue
        b = _load(booking.pk)
        note = notify(account=b.account, kind=Kind.REMINDER, title="明日就诊提醒",
                      body=f"就诊人{b.patient.name}：{_describe(b)}。请携带身份证或医保卡，提前到院签到。",
                      link=_link(b), sms=f"【医云】提醒：明天{_describe(b)}，请提前签到。",
                      dedupe_key=f"reminder:{b.pk}")
        sent += note is not None
    return sent


# --- waitlist ---------------------------------------------------------------------------------------


def join_waitlist(*, ctx: AccessContext, patient_id, window_id, now: dt.datetime | None = None) -> WaitlistEntry:
    """候补: wait for a number of a full window; the first in line gets the next released number."""
    now = now or timezone.now()
    window = facts.window_facts(window_id)
    if window is None:
        raise WindowNotFound()
    patient = _patient_for(ctx, patient_id)
    _check_open(window, now)
    _check_eligible(window, patient)
    _check_suspension(window, patient, now)
    if Ticket.objects.filter(window_id=window.id, channel=Channel.ONLINE, booking__isnull=True).exists():
        raise DuplicateBooking("该时段仍有号源，请直接预约", "This window still has places; book directly",
                               code="window_has_places")
    if Booking.objects.filter(patient_id=patient.id, doctor_id=window.doctor_id, visit_date=window.visit_date,
                              status__in=ACTIVE).exists():
        raise DuplicateBooking()
    try:
        with transaction.atomic():
            entry = WaitlistEntry.objects.create(window_id=window.id, patient_id=patient.id, account=ctx.actor,
                                                 created_at=now)
            record_access(ctx, patient=patient.id, action=AccessLog.Action.CREATE, record_type="waitlist",
                          record_id=entry.external_id)
    except IntegrityError:
        entry = WaitlistEntry.objects.get(window_id=window.id, patient_id=patient.id,
                                          status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED])
    return entry


def leave_waitlist(*, ctx: AccessContext, entry_id) -> None:
    entry = WaitlistEntry.objects.filter(external_id=entry_id, account=ctx.actor).first()
    if entry is None:
        raise NotFound("未找到该候补", "Waitlist entry not found", code="waitlist_not_found")
    with transaction.atomic():
        entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.status == WaitlistEntry.Status.WAITING:
            entry.status = WaitlistEntry.Status.CANCELLED
            entry.save(update_fields=["status"])


def _close_waitlist_offer(booking: Booking, status: str) -> None:
    WaitlistEntry.objects.filter(booking=booking, status=WaitlistEntry.Status.OFFERED).update(status=status)


def _offer_to_waitlist(*, ticket: Ticket, now: dt.datetime) -> bool:
    """Give a freed number to the first waiting patient who may still take it."""
    window = ticket.window
    session = window.session
    policy = policy_for(session.hospital_id)
    waiting = (WaitlistEntry.objects.select_for_update().select_related("patient", "account")
               .filter(window=window, status=WaitlistEntry.Status.WAITING).order_by("created_at", "id"))
    for entry in waiting:
        patient = entry.patient
        if not can_access(entry.account, patient) or Booking.objects.filter(
                patient=patient, doctor_id=session.doctor_id, visit_date=session.date, status__in=ACTIVE).exists():
            entry.status = WaitlistEntry.Status.CLOSED
            entry.save(update_fields=["status"])
            continue
        paid = session.fee_fen > 0
        booking = Booking.objects.create(
            account=entry.account, patient=patient, hospital_id=session.hospital_id,
            department_id=session.department_id, doctor_id=session.doctor_id, session=session, window=window,
            visit_date=session.date, number=ticket.number, fee_fen=session.fee_fen,
            status=Status.HELD if paid else Status.CONFIRMED, source=Booking.Source.WAITLIST, created_at=now,
            hold_expires_at=now + dt.timedelta(minutes=policy.waitlist_offer_minutes) if paid else None,
            confirmed_at=None if paid else now,
        )
        BookingEvent.objects.create(booking=booking, at=now, to_status=booking.status, reason="候补补位")
        ticket.booking = booking
        ticket.save(update_fields=["booking"])
        entry.status = WaitlistEntry.Status.OFFERED if paid else WaitlistEntry.Status.BOOKED
        entry.offered_at = now
        entry.booking = booking
        entry.save(update_fields=["status", "offered_at", "booking"])
        record_access(AccessContext(actor=None, channel=AccessLog.Channel.SYSTEM), patient=patient,
                      action=AccessLog.Action.CREATE, record_type="booking", record_id=booking.external_id)
        transaction.on_commit(lambda pk=booking.pk: _tell_waitlist_offer(pk))
        return True
    return False


# --- telling the patient -----------------------------------------------------------------------------


def _describe(booking: Booking) -> str:
    start = timezone.localtime(booking.window.starts_at)
    end = timezone.localtime(booking.window.ends_at)
    return (f"{booking.hospital.name} {booking.department.name} {booking.doctor.name}，"
            f"{start:%m月%d日 %H:%M}–{end:%H:%M}，{booking.number}号")


def _load(booking_id: int) -> Booking:
    return Booking.objects.select_related("hospital", "department", "doctor", "window", "patient", "account").get(
        pk=booking_id)


def _link(booking: Booking) -> str:
    return f"/me/bookings/{booking.external_id}/"


def _tell_confirmed(booking_id: int) -> None:
    b = _load(booking_id)
    what = _describe(b)
    notify(account=b.account, kind=Kind.BOOKING_CONFIRMED, title="预约成功",
           body=f"就诊人{b.patient.name}：{what}。请提前到院签到。", link=_link(b),
           sms=f"【医云】您为{mask_name(b.patient.name)}预约的{what}已成功，请按时签到。")


def _tell(booking_id: int, kind: str) -> None:
    b = _load(booking_id)
    what = _describe(b)
    titles = {Kind.BOOKING_CANCELLED: ("预约已取消", "已取消，如已支付将原路退款。"),
              Kind.BOOKING_EXPIRED: ("预约已超时取消", "因未在规定时间内支付，号源已释放。")}
    title, tail = titles[kind]
    notify(account=b.account, kind=kind, title=title, body=f"就诊人{b.patient.name}：{what}，{tail}", link=_link(b))


def _alternatives_text(alternatives) -> str:
    if not alternatives:
        return "暂无同科室可约号源，可稍后再查看或加入候补。"
    lines = [f"· {timezone.localtime(w.starts_at):%m月%d日 %H:%M} {w.session.doctor.name}（{w.session.visit_type.name}）"
             for w in alternatives]
    return "可改约以下号源：\n" + "\n".join(lines)


def _tell_stopped(booking_id: int, reason: str, alternatives) -> None:
    b = _load(booking_id)
    what = _describe(b)
    paid = "挂号费将原路全额退回。" if b.payment_ref else ""
    notify(account=b.account, kind=Kind.SESSION_STOPPED, title="医生停诊，预约已取消",
           body=f"就诊人{b.patient.name}：{what}因“{reason}”停诊，预约已取消。{paid}\n{_alternatives_text(alternatives)}",
           link=_link(b), sms=f"【医云】抱歉，{what}因故停诊，您的预约已取消{('并退款' if b.payment_ref else '')}，可在医云改约。")


def _tell_substituted(booking_id: int, previous_name: str, reason: str) -> None:
    b = _load(booking_id)
    notify(account=b.account, kind=Kind.SESSION_SUBSTITUTED, title="出诊医生变更",
           body=f"就诊人{b.patient.name}：原{previous_name}医生因“{reason}”由{b.doctor.name}医生替诊。"
                f"{_describe(b)}。如不接受可免费取消。", link=_link(b),
           sms=f"【医云】您预约的{previous_name}医生门诊改由{b.doctor.name}医生接诊，如不接受可在医云免费取消。")


def _tell_waitlist_offer(booking_id: int) -> None:
    b = _load(booking_id)
    what = _describe(b)
    if b.status == Status.HELD:
        until = timezone.localtime(b.hold_expires_at)
        body = f"就诊人{b.patient.name}：候补成功，已为您保留{what}。请在{until:%H:%M}前完成支付，逾期号源将顺延给下一位。"
        sms = f"【医云】候补成功：{what}，请在{until:%H:%M}前支付。"
    else:
        body, sms = f"就诊人{b.patient.name}：候补成功，{what}。", f"【医云】候补成功：{what}。"
    notify(account=b.account, kind=Kind.WAITLIST_OFFER, title="候补成功", body=body, link=_link(b), sms=sms)


def _tell_waitlist_closed(entry_id: int, reason: str) -> None:
    entry = WaitlistEntry.objects.select_related("account", "patient", "window__session__doctor").get(pk=entry_id)
    notify(account=entry.account, kind=Kind.SESSION_STOPPED, title="候补已结束",
           body=f"就诊人{entry.patient.name}候补的{entry.window.session.doctor.name}医生门诊因“{reason}”停诊，候补已结束。")


def _tell_suspended(account_id: int, patient_name: str, until: dt.datetime, hospital_name: str) -> None:
    from yiyun.accounts.models import User

    local = timezone.localtime(until)
    notify(account=User.objects.get(pk=account_id), kind=Kind.GENERAL, title="线上预约已暂停",
           body=f"就诊人{patient_name}在{hospital_name}多次爽约，线上预约暂停至{local:%Y年%m月%d日}。如有疑问请联系医院。")
