"""Demo queue: today's sessions of 张伟 (the demo doctor, 13900000001) get booked and checked-in demo
patients, so the doctor's queue page, the patients' queue pages and the department screen have something
to show. Everything goes through the booking and queue services. Idempotent (natural keys, idempotency
keys) and deterministic (fixed names and times relative to each window). Demo patients log in with the
demo password: 13800000101 赵建国 is booked into today's morning session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from yiyun.accounts import services as account_services
from yiyun.accounts.models import Role, User, phone_lookup
from yiyun.accounts.roles import grant_role
from yiyun.audit.services import AccessContext
from yiyun.booking import services as booking_services
from yiyun.booking.models import Booking
from yiyun.booking.states import ACTIVE, Status
from yiyun.catalog.models import Doctor
from yiyun.patients import services as patient_services
from yiyun.queue import services as queue_services
from yiyun.scheduling.models import Session

DEMO_DOCTOR_PHONE = "13900000001"


@dataclass(frozen=True)
class DemoPatient:
    phone: str
    name: str
    sex: str
    birth: dt.date
    window: int          # which window of the session (0 = first)
    arrives: int | None  # minutes relative to the window's start (None: booked, not yet arrived)


# Per session of the day (morning, afternoon): four patients each (one booking per doctor per day).
DEMO_QUEUE = [
    [DemoPatient("13800000101", "赵建国", "M", dt.date(1962, 4, 8), 0, -20),
     DemoPatient("13800000102", "孙丽华", "F", dt.date(1971, 9, 23), 0, -10),
     DemoPatient("13800000103", "周志强", "M", dt.date(1958, 12, 2), 0, 35),   # after the window: late
     DemoPatient("13800000104", "吴秀兰", "F", dt.date(1949, 6, 17), 1, None)],
    [DemoPatient("13800000105", "郑海涛", "M", dt.date(1983, 2, 11), 0, -25),
     DemoPatient("13800000106", "冯晓燕", "F", dt.date(1990, 7, 30), 0, -5),
     DemoPatient("13800000107", "何建华", "M", dt.date(1966, 3, 5), 1, -15),
     DemoPatient("13800000108", "林美玲", "F", dt.date(1975, 10, 14), 1, None)],
]


def _account(spec: DemoPatient, password: str) -> User:
    user = User.objects.filter(phone_hash=phone_lookup(spec.phone)).first()
    if user is None:
        user = account_services.register_user(phone=spec.phone, password=password, role=Role.PATIENT,
                                              display_name=spec.name)
    grant_role(user, Role.PATIENT)
    return user


def _patient(user: User, spec: DemoPatient, seq: int):
    from yiyun.demo.seed import synthetic_id_number

    patient, _ = patient_services.add_patient(
        ctx=AccessContext(actor=user, channel="system"), name=spec.name, sex=spec.sex, birth_date=spec.birth,
        id_number=synthetic_id_number(spec.birth, 500 + seq, spec.sex), relationship="self", phone=spec.phone)
    return patient


def _book(user, patient, session: Session, spec: DemoPatient) -> Booking:
    booking = Booking.objects.filter(patient=patient, session=session).exclude(
        status__in=[Status.CANCELLED, Status.EXPIRED]).first()
    if booking is not None:
        return booking
    window = session.windows.order_by("starts_at")[spec.window]
    booked_at = session.release_at + dt.timedelta(minutes=1)
    result = booking_services.book(ctx=AccessContext(actor=user, channel="system"), patient_id=patient.external_id,
                                   window_id=window.external_id, idempotency_key=f"demo-queue:{session.external_id}",
                                   now=booked_at)
    booking = Booking.objects.select_related("window", "session").get(pk=result.booking_id)
    if booking.status == Status.HELD:
        _pay_in_sandbox(user, booking)
        booking.refresh_from_db()
    return booking


def _pay_in_sandbox(user, booking: Booking) -> None:
    """The demo patient pays the fee at the sandbox gateway, as a patient would (no money moves)."""
    from yiyun.booking.payment import ORDER_TYPE
    from yiyun.payments import services as payments
    from yiyun.payments.sandbox import gateway

    payment = payments.create_payment(
        order_type=ORDER_TYPE, order_id=str(booking.external_id), account=user, amount_fen=booking.fee_fen,
        subject=f"{booking.session.doctor.name} 挂号费", expires_at=timezone.now() + dt.timedelta(minutes=15),
        idempotency_key=f"booking:{booking.external_id}", hospital=booking.hospital)
    Booking.objects.filter(pk=booking.pk).update(payment_ref=str(payment.external_id))
    payments.start_checkout(payment=payment)
    payment.refresh_from_db()
    gateway.pay_trade(trade_no=payment.provider_trade_no)
    payments.query_and_sync(payment=payment)  # the notice follows after commit; the active query confirms now


def seed_queue_demo(*, today: dt.date | None = None) -> int:
    """Book and check in the demo patients into 张伟's sessions today. Returns bookings in queues."""
    from yiyun.demo.seed import DEMO_PASSWORD

    today = today or timezone.localdate()
    doctor = Doctor.objects.filter(user__phone_hash=phone_lookup(DEMO_DOCTOR_PHONE)).first()
    if doctor is None:
        return 0
    sessions = list(Session.objects.filter(doctor=doctor, date=today, status=Session.Status.OPEN)
                    .order_by("starts_at")[:len(DEMO_QUEUE)])
    queued = 0
    for index, (session, specs) in enumerate(zip(sessions, DEMO_QUEUE, strict=False)):
        for n, spec in enumerate(specs, start=1):
            user = _account(spec, DEMO_PASSWORD)
            patient = _patient(user, spec, seq=index * 10 + n)
            booking = _book(user, patient, session, spec)
            if spec.arrives is None or booking.status not in ACTIVE:
                continue
            arrived = booking.window.starts_at + dt.timedelta(minutes=spec.arrives)
            queue_services.enqueue(booking=booking, now=arrived, actor=user)
            queued += 1
    return queued
