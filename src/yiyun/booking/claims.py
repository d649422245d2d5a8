"""Taking a number (号) for a booking: the one write on the flash-crowd path.

Both backends give the same guarantees — a number goes to at most one active booking, a patient gets at
most one active booking per doctor per day and stays within the daily/weekly limits, a retried call with
the same idempotency key books nothing new — and both write the booking, its first event and the access
log row in the same transaction as the number.

- PostgreSQL: a per-patient advisory lock (so limit counts see the patient's concurrent bookings), then
  one statement that picks the lowest free number with FOR UPDATE SKIP LOCKED (concurrent bookings of one
  window take different numbers instead of queueing on one row) and inserts everything. Outside an
  enclosing transaction, BEGIN, the lock, the claim and COMMIT travel in one pipelined round trip.
- Both check, in the same transaction, that the session is open, the patient is the account's verified
  patient and the real person is not suspended for no-shows at this hospital.
- SQLite: the write lock of an IMMEDIATE transaction serialises writers; plain ORM queries.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction

from yiyun.audit.models import AccessLog
from yiyun.booking.models import Booking, BookingEvent, Channel, Suspension, Ticket
from yiyun.booking.states import ACTIVE
from yiyun.core import pgsql

ADVISORY_NAMESPACE = 7_100_001  # pg_advisory_xact_lock(namespace, patient_id)
PG_LOCK_SQL = "SELECT pg_advisory_xact_lock(%s, %s)"
assert set(ACTIVE) == {"held", "confirmed", "checked_in"}, "update the state list in PG_CLAIM_SQL"  # noqa: S101


@dataclass(frozen=True)
class ClaimRequest:
    account_id: int
    patient_id: int
    patient_external_id: str
    window_id: int
    session_id: int
    hospital_id: int
    department_id: int
    doctor_id: int
    visit_date: dt.date
    fee_fen: int
    status: str
    source: str
    idempotency_key: str
    now: dt.datetime
    hold_expires_at: dt.datetime | None
    max_per_day: int
    max_per_week: int
    actor_role: str
    actor_label: str
    channel: str
    ip: str
    user_agent: str
    path: str
    id_number_hash: str = ""  # the real person, for the no-show suspension check


@dataclass(frozen=True)
class Claimed:
    booking_id: int
    external_id: uuid.UUID
    number: int
    last: bool = False  # no free online number was left beside this one: the window is now sold out


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


PG_CLAIM_SQL = """
WITH t AS (
    SELECT id, number FROM booking_ticket
    WHERE window_id = %(window_id)s AND channel = 'online' AND booking_id IS NULL
      AND EXISTS (SELECT 1 FROM scheduling_session s WHERE s.id = %(session_id)s AND s.status = 'open')
      AND EXISTS (SELECT 1 FROM patients_patient p WHERE p.id = %(patient_id)s AND p.account_id = %(account_id)s
                  AND p.removed_at IS NULL AND p.verified_at IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM booking_suspension x WHERE x.id_number_hash = %(id_number_hash)s
                      AND x.hospital_id = %(hospital_id)s AND x.starts_at <= %(now)s AND x.ends_at > %(now)s)
    ORDER BY number LIMIT 1
    FOR UPDATE SKIP LOCKED
), lim AS (
    SELECT count(*) FILTER (WHERE visit_date = %(visit_date)s) AS day_n, count(*) AS week_n
    FROM booking_booking
    WHERE patient_id = %(patient_id)s AND status IN ('held', 'confirmed', 'checked_in')
      AND visit_date BETWEEN %(week_start)s AND %(week_end)s
), b AS (
    INSERT INTO booking_booking (external_id, account_id, patient_id, hospital_id, department_id, doctor_id,
        session_id, window_id, visit_date, number, fee_fen, status, source, idempotency_key, payment_ref,
        created_at, hold_expires_at, confirmed_at, cancel_reason)
    SELECT %(external_id)s, %(account_id)s, %(patient_id)s, %(hospital_id)s, %(department_id)s, %(doctor_id)s,
        %(session_id)s, %(window_id)s, %(visit_date)s, t.number, %(fee_fen)s, %(status)s, %(source)s,
        %(idempotency_key)s, '', %(now)s, %(hold_expires_at)s, %(confirmed_at)s, ''
    FROM t, lim
    WHERE lim.day_n < %(max_per_day)s AND lim.week_n < %(max_per_week)s
    ON CONFLICT DO NOTHING
    RETURNING id, number
), u AS (
    UPDATE booking_ticket SET booking_id = b.id FROM b, t WHERE booking_ticket.id = t.id RETURNING booking_ticket.id
), e AS (
    INSERT INTO booking_bookingevent (booking_id, at, from_status, to_status, actor_id, reason)
    SELECT b.id, %(now)s, '', %(status)s, %(account_id)s, '' FROM b RETURNING id
), a AS (
    INSERT INTO audit_accesslog (at, actor_id, actor_role, actor_label, patient_id, hospital_id, record_type,
        record_id, action, outcome, channel, ip, user_agent, path)
    SELECT %(now)s, %(account_id)s, %(actor_role)s, %(actor_label)s, %(patient_id)s, NULL, 'booking',
        %(external_id_text)s, 'create', 'allowed', %(channel)s, %(ip)s, %(user_agent)s, %(path)s FROM b RETURNING id
)
SELECT b.id, b.number, (SELECT count(*) FROM u), (SELECT count(*) FROM e), (SELECT count(*) FROM a),
    -- free online numbers as this statement saw them, the one taken included (numbers that concurrent claims are
    -- taking still look free here, so 1 means "the window is full once this commits", never a false "full")
    (SELECT count(*) FROM booking_ticket WHERE window_id = %(window_id)s AND channel = 'online' AND booking_id IS NULL)
FROM b
"""


def pg_params(request: ClaimRequest, external_id: uuid.UUID) -> dict:
    """The parameters of PG_CLAIM_SQL (the benchmark's database-ceiling loop uses the same statement)."""
    week_start, week_end = week_bounds(request.visit_date)
    return {
        "window_id": request.window_id, "session_id": request.session_id, "patient_id": request.patient_id,
        "account_id": request.account_id, "visit_date": request.visit_date, "week_start": week_start,
        "week_end": week_end, "external_id": external_id, "external_id_text": str(external_id),
        "hospital_id": request.hospital_id, "department_id": request.department_id,
        "doctor_id": request.doctor_id, "fee_fen": request.fee_fen, "status": request.status,
        "source": request.source, "idempotency_key": request.idempotency_key, "now": request.now,
        "hold_expires_at": request.hold_expires_at,
        "confirmed_at": request.now if request.status == "confirmed" else None,
        "max_per_day": request.max_per_day, "max_per_week": request.max_per_week,
        "actor_role": request.actor_role, "actor_label": request.actor_label[:80], "channel": request.channel,
        "ip": request.ip, "user_agent": request.user_agent[:200], "path": request.path[:200],
        "id_number_hash": request.id_number_hash,
    }


def _claim_postgres(request: ClaimRequest) -> Claimed | None:
    external_id = uuid.uuid4()
    params = pg_params(request, external_id)
    if connection.in_atomic_block:  # inside a caller's transaction (tests, services composing writes)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(PG_LOCK_SQL, [ADVISORY_NAMESPACE, request.patient_id])
            cursor.execute(PG_CLAIM_SQL, params)
            row = cursor.fetchone()
    else:
        row = _claim_pipelined(request.patient_id, params)
    if row is None:
        return None
    return Claimed(booking_id=row[0], external_id=external_id, number=row[1], last=row[5] <= 1)


def _claim_pipelined(patient_id: int, params: dict):
    """BEGIN, lock, claim, COMMIT in one round trip on Django's own connection (in autocommit mode here,
    so Django has no transaction of its own to track). Any error rolls the transaction back."""
    import psycopg

    connection.ensure_connection()
    pg = connection.connection
    # Plain psycopg cursors: server-side binding, prepared once per connection, pipeline-capable.
    claim, control = psycopg.Cursor(pg), psycopg.Cursor(pg)
    try:
        with pg.pipeline():
            control.execute("BEGIN")
            control.execute(PG_LOCK_SQL, (ADVISORY_NAMESPACE, patient_id), prepare=True)
            claim.execute(PG_CLAIM_SQL, params, prepare=True)
            control.execute("COMMIT")
        return claim.fetchone()
    except BaseException:
        with contextlib.suppress(Exception):
            pg.execute("ROLLBACK")
        raise
    finally:
        claim.close()
        control.close()


def _claim_orm(request: ClaimRequest) -> Claimed | None:
    from yiyun.patients.models import Patient
    from yiyun.scheduling.models import Session

    with transaction.atomic():
        if not Session.objects.filter(pk=request.session_id, status=Session.Status.OPEN).exists():
            return None
        if not Patient.objects.filter(pk=request.patient_id, account_id=request.account_id, removed_at__isnull=True,
                                      verified_at__isnull=False).exists():
            return None
        if request.id_number_hash and Suspension.objects.filter(
                id_number_hash=request.id_number_hash, hospital_id=request.hospital_id, starts_at__lte=request.now,
                ends_at__gt=request.now).exists():
            return None
        if request.idempotency_key and Booking.objects.filter(
                account_id=request.account_id, idempotency_key=request.idempotency_key).exists():
            return None
        week_start, week_end = week_bounds(request.visit_date)
        active = Booking.objects.filter(patient_id=request.patient_id, status__in=ACTIVE,
                                        visit_date__range=(week_start, week_end))
        if (active.filter(visit_date=request.visit_date).count() >= request.max_per_day
                or active.count() >= request.max_per_week):
            return None
        ticket = (Ticket.objects.filter(window_id=request.window_id, channel=Channel.ONLINE, booking__isnull=True)
                  .order_by("number").first())
        if ticket is None:
            return None
        try:
            with transaction.atomic():
                booking = Booking.objects.create(
                    account_id=request.account_id, patient_id=request.patient_id, hospital_id=request.hospital_id,
                    department_id=request.department_id, doctor_id=request.doctor_id,
                    session_id=request.session_id, window_id=request.window_id, visit_date=request.visit_date,
                    number=ticket.number, fee_fen=request.fee_fen, status=request.status, source=request.source,
                    idempotency_key=request.idempotency_key, created_at=request.now,
                    hold_expires_at=request.hold_expires_at,
                    confirmed_at=request.now if request.status == "confirmed" else None,
                )
        except IntegrityError:
            return None
        ticket.booking = booking
        ticket.save(update_fields=["booking"])
        BookingEvent.objects.create(booking=booking, at=request.now, to_status=request.status,
                                    actor_id=request.account_id)
        AccessLog(at=request.now, actor_id=request.account_id, actor_role=request.actor_role,
                  actor_label=request.actor_label[:80], patient_id=request.patient_id, record_type="booking",
                  record_id=str(booking.external_id), action=AccessLog.Action.CREATE, channel=request.channel,
                  ip=request.ip, user_agent=request.user_agent[:200], path=request.path[:200]).save()
        last = not Ticket.objects.filter(window_id=request.window_id, channel=Channel.ONLINE,
                                         booking__isnull=True).exists()
    return Claimed(booking_id=booking.pk, external_id=booking.external_id, number=booking.number, last=last)


def claim(request: ClaimRequest) -> Claimed | None:
    """Take the lowest free online number of the window, or None (then ask `why_not` for the reason)."""
    if connection.vendor == "postgresql":
        return _claim_postgres(request)
    return _claim_orm(request)


_PG_REPLAY = """SELECT id FROM booking_booking
WHERE account_id = %s AND idempotency_key = %s AND idempotency_key <> ''"""


def replayed_booking_id(account_id: int, idempotency_key: str) -> int | None:
    """The booking this account already made with this idempotency key, if any."""
    if not idempotency_key:
        return None
    if connection.vendor == "postgresql":
        row = pgsql.fetchone(_PG_REPLAY, [account_id, idempotency_key])
        return row[0] if row else None
    return (Booking.objects.filter(account_id=account_id, idempotency_key=idempotency_key)
            .values_list("pk", flat=True).first())


@dataclass(frozen=True)
class Refusal:
    suspended_until: dt.datetime | None
    replay_booking_id: int | None
    duplicate: bool
    day_count: int
    week_count: int
    any_free: bool
    session_open: bool
    patient_ok: bool


_PG_WHY_NOT = """
SELECT
  (SELECT ends_at FROM booking_suspension WHERE id_number_hash = %(id_number_hash)s AND %(id_number_hash)s <> ''
     AND hospital_id = %(hospital_id)s AND starts_at <= %(now)s AND ends_at > %(now)s ORDER BY id LIMIT 1),
  (SELECT id FROM booking_booking WHERE account_id = %(account_id)s AND idempotency_key = %(idempotency_key)s
     AND idempotency_key <> '' ORDER BY id LIMIT 1),
  EXISTS (SELECT 1 FROM booking_booking WHERE patient_id = %(patient_id)s AND status IN ('held', 'confirmed',
     'checked_in') AND doctor_id = %(doctor_id)s AND visit_date = %(visit_date)s),
  (SELECT count(*) FROM booking_booking WHERE patient_id = %(patient_id)s
     AND status IN ('held', 'confirmed', 'checked_in') AND visit_date = %(visit_date)s),
  (SELECT count(*) FROM booking_booking WHERE patient_id = %(patient_id)s
     AND status IN ('held', 'confirmed', 'checked_in') AND visit_date BETWEEN %(week_start)s AND %(week_end)s),
  EXISTS (SELECT 1 FROM booking_ticket WHERE window_id = %(window_id)s AND channel = 'online'
     AND booking_id IS NULL),
  EXISTS (SELECT 1 FROM scheduling_session WHERE id = %(session_id)s AND status = 'open'),
  EXISTS (SELECT 1 FROM patients_patient WHERE id = %(patient_id)s AND account_id = %(account_id)s
     AND removed_at IS NULL AND verified_at IS NOT NULL)
"""


def why_not(request: ClaimRequest) -> Refusal:
    """After an empty claim: which rule stopped it (reads committed state, takes no locks). On PostgreSQL
    one prepared statement; the ORM elsewhere."""
    if connection.vendor == "postgresql":
        week_start, week_end = week_bounds(request.visit_date)
        row = pgsql.fetchone(_PG_WHY_NOT, {
            "id_number_hash": request.id_number_hash, "hospital_id": request.hospital_id, "now": request.now,
            "account_id": request.account_id, "idempotency_key": request.idempotency_key,
            "patient_id": request.patient_id, "doctor_id": request.doctor_id, "visit_date": request.visit_date,
            "week_start": week_start, "week_end": week_end, "window_id": request.window_id,
            "session_id": request.session_id})
        return Refusal(suspended_until=row[0], replay_booking_id=row[1], duplicate=row[2], day_count=row[3],
                       week_count=row[4], any_free=row[5], session_open=row[6], patient_ok=row[7])
    return _why_not_orm(request)


def _why_not_orm(request: ClaimRequest) -> Refusal:
    from yiyun.patients.models import Patient
    from yiyun.scheduling.models import Session

    replay = replayed_booking_id(request.account_id, request.idempotency_key)
    week_start, week_end = week_bounds(request.visit_date)
    active = Booking.objects.filter(patient_id=request.patient_id, status__in=ACTIVE,
                                    visit_date__range=(week_start, week_end))
    suspended_until = None
    if request.id_number_hash:
        suspended_until = (Suspension.objects.filter(id_number_hash=request.id_number_hash,
                                                     hospital_id=request.hospital_id, starts_at__lte=request.now,
                                                     ends_at__gt=request.now)
                           .values_list("ends_at", flat=True).first())
    return Refusal(
        suspended_until=suspended_until,
        replay_booking_id=replay,
        duplicate=active.filter(doctor_id=request.doctor_id, visit_date=request.visit_date).exists(),
        day_count=active.filter(visit_date=request.visit_date).count(),
        week_count=active.count(),
        any_free=Ticket.objects.filter(window_id=request.window_id, channel=Channel.ONLINE,
                                       booking__isnull=True).exists(),
        session_open=Session.objects.filter(pk=request.session_id, status=Session.Status.OPEN).exists(),
        patient_ok=Patient.objects.filter(pk=request.patient_id, account_id=request.account_id,
                                          removed_at__isnull=True, verified_at__isnull=False).exists(),
    )
