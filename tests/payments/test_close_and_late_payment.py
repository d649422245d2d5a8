"""Closing a payment when its order's hold ends, and money that arrives after that: always refunded in full,
automatically, with the order told; never lost, never kept by an order that let go."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from tests.payments.conftest import assert_reconciled, new_payment, notices_of, pay_at_gateway, postings
from yiyun.payments import services
from yiyun.payments.errors import PaymentClosed, ProviderUnavailable
from yiyun.payments.models import Payment, PaymentNotification, Refund
from yiyun.payments.providers.sandbox import SandboxProvider
from yiyun.payments.sandbox import gateway
from yiyun.payments.sandbox.models import SandboxTrade
from yiyun.payments.sandbox.notices import PAYMENT_SUCCESS, queue_notice

pytestmark = pytest.mark.django_db(transaction=True)
FULL_REFUND_POSTINGS = (["capture"] * 2 + ["refund_requested"] * 2 + ["refund_paid"] * 2)


def _gateway_unreachable_on_close(monkeypatch):
    def unreachable(self, *, out_trade_no):
        raise ProviderUnavailable()

    monkeypatch.setattr(SandboxProvider, "close_trade", unreachable)


def test_closing_an_unpaid_payment_closes_the_gateway_trade_and_refuses_checkout(orders, account):
    payment = new_payment(account)
    services.start_checkout(payment=payment)
    closed = services.close_payment(payment=payment, reason="号源保留已超时")
    assert (closed.status, closed.close_reason) == ("closed", "号源保留已超时") and closed.closed_at
    trade = SandboxTrade.objects.get(out_trade_no=payment.out_trade_no)
    assert trade.state == "CLOSED"
    with pytest.raises(gateway.GatewayError) as refused:
        gateway.pay_trade(trade_no=trade.trade_no)
    assert refused.value.code == "TRADE_CLOSED"
    with pytest.raises(PaymentClosed):
        services.start_checkout(payment=payment)
    again = services.close_payment(payment=payment, reason="再次关闭")
    assert again.close_reason == "号源保留已超时" and postings(payment) == []


def test_a_payment_notice_after_the_close_is_captured_and_refunded_in_full(orders, faults, account, monkeypatch):
    """The gateway could not be told of the close; the customer then paid. The order is not asked (it let
    go); the money is refunded automatically and the order hears of the refund."""
    faults(duplicate=1)
    payment = new_payment(account)
    services.start_checkout(payment=payment)
    _gateway_unreachable_on_close(monkeypatch)
    assert services.close_payment(payment=payment).status == "closed"
    trade = SandboxTrade.objects.get(out_trade_no=payment.out_trade_no)
    gateway.pay_trade(trade_no=trade.trade_no)

    payment.refresh_from_db()
    assert (payment.status, payment.captured_fen, payment.refunded_fen) == ("refunded", 2500, 2500)
    refund = payment.refunds.get()
    assert (refund.kind, refund.status, refund.amount_fen) == ("automatic", "succeeded", 2500)
    assert "订单已关闭" in refund.reason
    assert orders.paid == []  # a closed order is not offered the money
    assert orders.refunded == [(payment.order_id, 2500, "automatic")]
    assert [kind for kind, _, _ in postings(payment)] == FULL_REFUND_POSTINGS
    trade.refresh_from_db()
    assert (trade.state, trade.refunded_fen) == ("REFUND", 2500)  # the money went back at the gateway too

    with transaction.atomic():  # a second "paid" (new notice id) after all that
        queue_notice(trade=SandboxTrade.objects.get(pk=trade.pk), event_type=PAYMENT_SUCCESS)
    payment.refresh_from_db()
    assert payment.refunds.count() == 1 and payment.captured_fen == 2500
    assert [kind for kind, _, _ in postings(payment)] == FULL_REFUND_POSTINGS
    events = list(PaymentNotification.objects.order_by("id").values_list("event", "outcome"))
    assert events == [("TRANSACTION.SUCCESS", "captured"), ("REFUND.SUCCESS", "refund_succeeded"),
                      ("TRANSACTION.SUCCESS", "already_captured")]
    assert_reconciled()


def test_paid_just_before_the_close_is_captured_and_the_order_decides(orders, faults, account):
    """The pay notice is lost; the order releases its hold and closes the payment. The gateway says the trade
    was paid, so the money is captured and offered to the order, which refuses: refunded in full."""
    faults(drop_rate=1.0)
    payment = pay_at_gateway(new_payment(account))
    faults()
    assert payment.status == "pending"
    orders.accept = False  # the booking was released
    closed = services.close_payment(payment=payment)
    assert (closed.status, closed.captured_fen, closed.refunded_fen) == ("refunded", 2500, 2500)
    assert orders.paid == [payment.order_id]
    assert orders.refunded == [(payment.order_id, 2500, "automatic")]
    assert "订单已失效" in closed.refunds.get().reason
    assert_reconciled()


def test_an_order_that_can_no_longer_take_the_money_gets_it_refunded(orders, account):
    orders.accept = False
    payment = pay_at_gateway(new_payment(account))
    assert (payment.status, payment.captured_fen, payment.refunded_fen) == ("refunded", 2500, 2500)
    assert orders.paid == [payment.order_id] and orders.refunded == [(payment.order_id, 2500, "automatic")]
    assert_reconciled()


def test_an_order_that_takes_the_money_keeps_it(orders, account):
    payment = pay_at_gateway(new_payment(account))
    assert (payment.status, payment.captured_fen, payment.refunded_fen) == ("succeeded", 2500, 0)
    assert not Refund.objects.exists() and orders.refunded == []
    assert services.close_payment(payment=payment).status == "succeeded"  # too late to close: nothing changes


def test_money_that_differs_from_the_order_amount_is_captured_and_refunded(orders, account):
    payment = new_payment(account)
    services.start_checkout(payment=payment)
    SandboxTrade.objects.filter(out_trade_no=payment.out_trade_no).update(amount_fen=2400)
    gateway.pay_trade(trade_no=Payment.objects.get(pk=payment.pk).provider_trade_no)
    payment.refresh_from_db()
    assert (payment.status, payment.captured_fen, payment.refunded_fen) == ("refunded", 2400, 2400)
    assert orders.paid == [] and "金额不符" in payment.refunds.get().reason
    assert_reconciled()


def test_the_gateway_refuses_payment_after_the_deadline_and_the_sync_closes_it(orders, account, clock):
    payment = new_payment(account, minutes=15)
    services.start_checkout(payment=payment)
    clock.advance(minutes=15, seconds=1)
    trade = SandboxTrade.objects.get(out_trade_no=payment.out_trade_no)
    with pytest.raises(gateway.GatewayError):
        gateway.pay_trade(trade_no=trade.trade_no)
    assert services.query_and_sync(payment=payment).status == "closed"  # the gateway closed it itself
    assert notices_of(payment).count() == 0 and postings(payment) == []


def test_an_unpaid_payment_past_its_deadline_is_closed_by_the_periodic_sync(orders, account, clock, settings):
    payment = new_payment(account, minutes=15)  # never checked out: the gateway does not know it
    clock.advance(minutes=15)
    from yiyun.payments.tasks import sync_stale_payments

    sync_stale_payments()
    payment.refresh_from_db()
    assert payment.status == "created"  # within the grace period
    clock.advance(seconds=settings.PAYMENTS_CLOSE_GRACE_SECONDS + 1)
    sync_stale_payments()
    payment.refresh_from_db()
    assert payment.status == "closed" and payment.close_reason == "超过支付时限未支付"
    assert payment.expires_at < timezone.now() - dt.timedelta(seconds=settings.PAYMENTS_CLOSE_GRACE_SECONDS)
