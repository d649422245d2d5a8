"""Refunds: partial and full, never more than captured (refunds in flight count), idempotent retries,
asynchronous at the gateway, and a refund the gateway fails puts the money back on the order's books."""

import pytest

from tests.payments.conftest import assert_reconciled, new_payment, pay_at_gateway, postings
from yiyun.core.errors import ValidationFailed
from yiyun.payments import ledger, services
from yiyun.payments.errors import IdempotencyKeyReused, PaymentNotCaptured, RefundExceedsCaptured
from yiyun.payments.models import Refund
from yiyun.payments.sandbox.gateway import run_due_work
from yiyun.payments.sandbox.models import SandboxRefund, SandboxTrade

pytestmark = pytest.mark.django_db(transaction=True)


def test_partial_then_full_refund(orders, account):
    payment = pay_at_gateway(new_payment(account, amount_fen=5000))
    first = services.refund(payment=payment, amount_fen=1200, reason="部分退费", idempotency_key="r1")
    assert first.status == "succeeded" and first.kind == "requested" and first.provider_refund_no
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_fen) == ("partially_refunded", 1200)
    second = services.refund(payment=payment, amount_fen=3800, reason="取消预约", idempotency_key="r2")
    assert second.status == "succeeded"
    payment.refresh_from_db()
    assert (payment.status, payment.captured_fen, payment.refunded_fen) == ("refunded", 5000, 5000)
    assert orders.refunded == [(payment.order_id, 1200, "requested"), (payment.order_id, 3800, "requested")]
    assert ledger.balances(payment=payment) == {"gateway_clearing": 0, "order_revenue": 0, "refunds": 0}
    assert SandboxTrade.objects.get(out_trade_no=payment.out_trade_no).refunded_fen == 5000
    assert_reconciled()


def test_a_refund_beyond_what_is_left_is_refused_and_changes_nothing(orders, account):
    payment = pay_at_gateway(new_payment(account, amount_fen=5000))
    services.refund(payment=payment, amount_fen=4000, reason="部分退费", idempotency_key="r1")
    before = postings(payment)
    with pytest.raises(RefundExceedsCaptured) as refused:
        services.refund(payment=payment, amount_fen=1001, reason="超额", idempotency_key="r2")
    assert refused.value.status == 422 and refused.value.code == "refund_exceeds_captured"
    assert refused.value.fields == {"amount_fen": "最多可退 ¥10.00"}
    assert postings(payment) == before and Refund.objects.filter(payment=payment).count() == 1
    services.refund(payment=payment, amount_fen=1000, reason="余额", idempotency_key="r3")  # exactly what is left


def test_refunds_still_in_flight_count_against_what_can_be_refunded(orders, faults, account):
    faults(refund_delay_seconds=60)  # the gateway takes a minute to pay refunds out
    payment = pay_at_gateway(new_payment(account, amount_fen=3000))
    pending = services.refund(payment=payment, amount_fen=2000, reason="退费", idempotency_key="r1")
    assert pending.status == "requested" and pending.submitted_at is not None
    with pytest.raises(RefundExceedsCaptured):
        services.refund(payment=payment, amount_fen=1001, reason="再退", idempotency_key="r2")
    assert ledger.balances(payment=payment) == {"gateway_clearing": 3000, "order_revenue": -1000, "refunds": -2000}
    assert_reconciled()  # in-flight refunds are consistent books too
    assert orders.refunded == []


def test_a_retried_refund_returns_the_same_refund_and_a_reused_key_is_refused(orders, account):
    payment = pay_at_gateway(new_payment(account, amount_fen=3000))
    first = services.refund(payment=payment, amount_fen=1000, reason="退费", idempotency_key="same")
    again = services.refund(payment=payment, amount_fen=1000, reason="退费", idempotency_key="same")
    assert again.pk == first.pk and Refund.objects.count() == 1
    assert SandboxRefund.objects.count() == 1
    with pytest.raises(IdempotencyKeyReused):
        services.refund(payment=payment, amount_fen=500, reason="退费", idempotency_key="same")
    payment.refresh_from_db()
    assert payment.refunded_fen == 1000


def test_nothing_to_refund_before_the_money_is_captured(orders, account):
    payment = new_payment(account)
    with pytest.raises(PaymentNotCaptured):
        services.refund(payment=payment, amount_fen=100, reason="退费", idempotency_key="r1")
    assert not Refund.objects.exists()


@pytest.mark.parametrize("amount", [0, -5, 10.5, True, "100"])
def test_refund_amounts_are_positive_integers_of_fen(orders, account, amount):
    payment = pay_at_gateway(new_payment(account))
    with pytest.raises(ValidationFailed) as refused:
        services.refund(payment=payment, amount_fen=amount, reason="退费", idempotency_key="r1")
    assert refused.value.code == "validation_error" and "amount_fen" in refused.value.fields


def test_a_refund_the_gateway_fails_returns_the_money_to_the_order_on_the_books(orders, faults, account):
    faults(fail_refunds=True)
    payment = pay_at_gateway(new_payment(account, amount_fen=3000))
    failed = services.refund(payment=payment, amount_fen=3000, reason="退费", idempotency_key="r1")
    assert failed.status == "failed" and failed.failure_reason
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_fen) == ("succeeded", 0)
    assert [kind for kind, _, _ in postings(payment)] == (["capture"] * 2 + ["refund_requested"] * 2
                                                        + ["refund_failed"] * 2)
    assert ledger.balances(payment=payment) == {"gateway_clearing": 3000, "order_revenue": -3000, "refunds": 0}
    assert orders.refunded == []
    faults()
    retried = services.refund(payment=payment, amount_fen=3000, reason="再次退费", idempotency_key="r2")
    assert retried.status == "succeeded"
    assert_reconciled()


def test_a_refund_that_never_reached_the_gateway_is_resubmitted_by_the_sync(orders, account, monkeypatch,
                                                                           settings):
    payment = pay_at_gateway(new_payment(account))
    from yiyun.payments.errors import ProviderUnavailable
    from yiyun.payments.providers.sandbox import SandboxProvider

    original = SandboxProvider.refund

    def unreachable(self, **kwargs):
        raise ProviderUnavailable()

    monkeypatch.setattr(SandboxProvider, "refund", unreachable)
    refund = services.refund(payment=payment, amount_fen=2500, reason="退费", idempotency_key="r1")
    assert refund.status == "requested" and refund.submitted_at is None
    assert not SandboxRefund.objects.exists()
    monkeypatch.setattr(SandboxProvider, "refund", original)
    settings.PAYMENTS_SYNC_AFTER_SECONDS = 0
    from yiyun.payments.tasks import sync_stale_payments

    assert sync_stale_payments()["refunds"] == 1
    refund.refresh_from_db()
    assert refund.status == "succeeded" and SandboxRefund.objects.get().state == "SUCCESS"
    assert_reconciled()


def test_delayed_refunds_are_paid_out_by_the_gateway_clock(orders, faults, account, clock):
    faults(refund_delay_seconds=60)
    payment = pay_at_gateway(new_payment(account))
    refund = services.refund(payment=payment, amount_fen=2500, reason="退费", idempotency_key="r1")
    assert run_due_work() == {"refunds": 0, "notices": 0}
    clock.advance(seconds=61)
    assert run_due_work() == {"refunds": 1, "notices": 0}  # the notice itself goes straight out
    refund.refresh_from_db()
    assert refund.status == "succeeded" and orders.refunded == [(payment.order_id, 2500, "requested")]
