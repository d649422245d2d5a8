"""Payments test kit: a fake order type registered for the test, fault switches for the sandbox gateway,
and helpers that drive a payment the way a customer and the gateway would."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import make_user
from yiyun.payments import registry, services
from yiyun.payments.models import LedgerEntry, Payment
from yiyun.payments.reconcile import reconcile
from yiyun.payments.sandbox import gateway
from yiyun.payments.sandbox.models import SandboxNotice

ORDER_TYPE = "test_order"


class FakeOrders:
    """Stands in for booking: accepts money unless told the hold expired; remembers what it was told."""

    def __init__(self) -> None:
        self.accept = True
        self.fail_with: Exception | None = None
        self.paid: list[str] = []
        self.refunded: list[tuple[str, int, str]] = []

    def on_paid(self, payment) -> bool:
        if self.fail_with is not None:
            raise self.fail_with
        self.paid.append(payment.order_id)
        return self.accept

    def on_refunded(self, refund) -> None:
        self.refunded.append((refund.payment.order_id, refund.amount_fen, refund.kind))


@pytest.fixture
def orders():
    handler = FakeOrders()
    registry.register(ORDER_TYPE, handler)
    yield handler
    registry.unregister(ORDER_TYPE)


@pytest.fixture
def faults(settings):
    """`faults(duplicate=2, reorder=True)` switches the sandbox gateway's fault injection for this test."""
    settings.PAYMENTS_SANDBOX_FAULTS = {}

    def switch(**values):
        settings.PAYMENTS_SANDBOX_FAULTS = values

    return switch


@pytest.fixture
def account():
    return make_user()


@pytest.fixture
def clock(monkeypatch):
    """Time passing: `clock.advance(seconds=16)` moves Django's clock (timezone.now) for the gateway and for us."""
    real_now = timezone.now

    class Clock:
        offset = dt.timedelta()

        def advance(self, **delta) -> None:
            self.offset += dt.timedelta(**delta)

        def now(self) -> dt.datetime:
            return real_now() + self.offset

    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock.now)
    return clock


_orders = iter(range(1, 10**9))


def new_payment(account, *, amount_fen: int = 2500, order_id: str | None = None, minutes: int = 15,
                key: str | None = None) -> Payment:
    return services.create_payment(
        order_type=ORDER_TYPE, order_id=order_id or f"order-{next(_orders)}", account=account,
        amount_fen=amount_fen, subject="挂号费 心血管内科 张伟 主治医师",
        expires_at=timezone.now() + dt.timedelta(minutes=minutes), idempotency_key=key)


def pay_at_gateway(payment: Payment, *, method: str = "redirect") -> Payment:
    """The customer opens the cashier and presses 确认支付; returns the payment as it stands afterwards."""
    services.start_checkout(payment=payment, method=method)
    trade_no = Payment.objects.get(pk=payment.pk).provider_trade_no
    gateway.pay_trade(trade_no=trade_no)
    return Payment.objects.get(pk=payment.pk)


def notices_of(payment: Payment):
    return SandboxNotice.objects.filter(trade__out_trade_no=payment.out_trade_no).order_by("id")


def postings(payment: Payment) -> list[tuple[str, str, int]]:
    rows = LedgerEntry.objects.filter(payment=payment).order_by("id")
    return [(row.kind, row.account, row.amount_fen) for row in rows]


def assert_reconciled() -> None:
    report = reconcile()
    assert report.ok, [str(d) for d in report.discrepancies]
