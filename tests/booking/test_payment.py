"""Booking fees through the payments app and its sandbox gateway: paid in time, paid at the last second,
paid after the hold was released (refunded automatically), refunds on cancel and on 停诊. No money is lost:
the ledger reconciles after every story."""

import datetime as dt

import pytest

from tests.booking.test_booking import ctx_for
from tests.factories import make_patient, make_session, make_user
from tests.payments.conftest import assert_reconciled
from yiyun.booking import payment as booking_payment
from yiyun.booking import services
from yiyun.booking.models import Booking
from yiyun.booking.states import Status
from yiyun.payments.models import Payment
from yiyun.payments.sandbox import gateway
from yiyun.scheduling import services as scheduling

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def held():
    account = make_user()
    patient = make_patient(account)
    window = make_session(fee_fen=1500, online=1, windows=1).windows.get()
    result = services.book(ctx=ctx_for(account), patient_id=patient.external_id, window_id=window.external_id)
    return account, Booking.objects.get(pk=result.booking_id)


def _pay(account, booking, **faults) -> Payment:
    checkout = booking_payment.start_payment(ctx=ctx_for(account), booking_id=booking.external_id)
    assert checkout.url.startswith("/sandbox-pay/")
    payment = Payment.objects.get(order_type="booking", order_id=str(booking.external_id))
    gateway.pay_trade(trade_no=payment.provider_trade_no)
    payment.refresh_from_db()
    return payment


def test_paid_in_time_confirms_the_booking(held):
    account, booking = held
    payment = _pay(account, booking)
    booking.refresh_from_db()
    assert payment.status == "succeeded" and payment.captured_fen == 1500
    assert booking.status == Status.CONFIRMED and booking.payment_ref == str(payment.external_id)
    assert payment.expires_at == booking.hold_expires_at  # the gateway refuses payment after the hold
    assert account.notifications.filter(kind="booking_confirmed").exists()
    assert_reconciled()


def test_paid_at_the_last_second_with_the_notice_lost_is_kept(held, settings):
    account, booking = held
    settings.PAYMENTS_SANDBOX_FAULTS = {"drop_rate": 1.0}
    payment = _pay(account, booking)
    assert payment.status != "succeeded"  # the notice never came
    services.expire_holds(now=booking.hold_expires_at + dt.timedelta(seconds=1))
    booking.refresh_from_db()
    payment.refresh_from_db()
    assert booking.status == Status.CONFIRMED and payment.status == "succeeded"  # asked the gateway first
    assert_reconciled()


def test_money_arriving_after_the_hold_was_released_is_refunded(held, settings, monkeypatch):
    account, booking = held
    settings.PAYMENTS_SANDBOX_FAULTS = {"drop_rate": 1.0}
    payment = _pay(account, booking)
    monkeypatch.setattr(booking_payment, "sync_before_expiry", lambda **kw: None)  # the gateway was unreachable
    services.expire_holds(now=booking.hold_expires_at + dt.timedelta(seconds=1))
    booking.refresh_from_db()
    assert booking.status == Status.EXPIRED
    from yiyun.payments import services as payments

    settings.PAYMENTS_SANDBOX_FAULTS = {}
    payments.query_and_sync(payment=Payment.objects.get(pk=payment.pk))  # the money shows up after all
    payment.refresh_from_db()
    booking.refresh_from_db()
    assert booking.status == Status.EXPIRED
    assert (payment.captured_fen, payment.refunded_fen, payment.status) == (1500, 1500, "refunded")
    assert payment.refunds.get().kind == "automatic"
    assert_reconciled()


def test_cancelling_a_paid_booking_refunds_it(held):
    account, booking = held
    payment = _pay(account, booking)
    services.cancel(ctx=ctx_for(account), booking_id=booking.external_id)
    payment.refresh_from_db()
    assert (payment.refunded_fen, payment.status) == (1500, "refunded")
    assert account.notifications.filter(kind="refund").exists()
    assert_reconciled()


def test_stopping_a_session_refunds_every_paid_booking(held):
    account, booking = held
    payment = _pay(account, booking)
    scheduling.stop_session(session=booking.session, reason="医生外出")
    payment.refresh_from_db()
    booking.refresh_from_db()
    assert booking.status == Status.STOPPED and payment.refunded_fen == 1500
    assert_reconciled()


def test_cancelling_a_held_booking_closes_its_open_payment(held):
    account, booking = held
    booking_payment.start_payment(ctx=ctx_for(account), booking_id=booking.external_id)
    services.cancel(ctx=ctx_for(account), booking_id=booking.external_id)
    payment = Payment.objects.get(order_id=str(booking.external_id))
    assert payment.status == "closed" and payment.captured_fen == 0
    assert_reconciled()
