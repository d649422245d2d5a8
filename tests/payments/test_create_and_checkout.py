"""Creating a payment for an order (one open payment per order, idempotent) and starting the checkout."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import make_user
from tests.payments.conftest import ORDER_TYPE, new_payment, pay_at_gateway
from yiyun.core.errors import ValidationFailed
from yiyun.payments import registry, services
from yiyun.payments.errors import (
    IdempotencyKeyReused,
    PaymentAlreadyPaid,
    PaymentClosed,
    PaymentExpired,
    PaymentMismatch,
    ProviderNotFound,
)
from yiyun.payments.models import Payment
from yiyun.payments.sandbox.models import SandboxTrade

pytestmark = pytest.mark.django_db(transaction=True)


def _create(account, **overrides):
    args = {"order_type": ORDER_TYPE, "order_id": "booking-1", "account": account, "amount_fen": 2500,
            "subject": "挂号费", "expires_at": timezone.now() + dt.timedelta(minutes=15)}
    args.update(overrides)
    return services.create_payment(**args)


def test_one_open_payment_per_order_and_retries_return_it(orders, account):
    first = _create(account, idempotency_key="k-1")
    assert (first.status, first.amount_fen, first.provider) == ("created", 2500, "sandbox")
    assert _create(account, idempotency_key="k-1").pk == first.pk
    assert _create(account).pk == first.pk  # no key: still the order's one open payment
    assert _create(account, idempotency_key="k-2").pk == first.pk
    assert Payment.objects.count() == 1


def test_conflicting_requests_are_refused(orders, account):
    _create(account, idempotency_key="k-1")
    with pytest.raises(IdempotencyKeyReused):
        _create(account, idempotency_key="k-1", order_id="booking-2")
    with pytest.raises(PaymentMismatch):
        _create(account, amount_fen=3000)
    with pytest.raises(PaymentMismatch):
        _create(make_user())
    assert Payment.objects.count() == 1


def test_a_paid_order_cannot_be_paid_again_but_a_closed_one_can(orders, account):
    paid = pay_at_gateway(_create(account))
    assert paid.status == "succeeded"
    with pytest.raises(PaymentAlreadyPaid):
        _create(account, idempotency_key="another")
    open_one = _create(account, order_id="booking-2")
    services.close_payment(payment=open_one)
    reopened = _create(account, order_id="booking-2")
    assert reopened.pk != open_one.pk and reopened.status == "created"


@pytest.mark.parametrize("field,value", [
    ("amount_fen", 0), ("amount_fen", -1), ("amount_fen", 25.0), ("amount_fen", True),
    ("subject", " "), ("order_id", ""), ("order_type", "unknown_type"),
    ("expires_at", "naive"), ("expires_at", "past"),
])
def test_bad_input_is_refused_with_the_field_named(orders, account, field, value):
    if value == "naive":
        value = dt.datetime.now() + dt.timedelta(minutes=15)  # noqa: DTZ005 — the point of the test
    elif value == "past":
        value = timezone.now() - dt.timedelta(seconds=1)
    with pytest.raises(ValidationFailed) as refused:
        _create(account, **{field: value})
    assert field in refused.value.fields
    assert not Payment.objects.exists()


def test_an_order_type_must_be_registered():
    assert not registry.is_registered(ORDER_TYPE)
    with pytest.raises(ValidationFailed) as refused:
        _create(make_user())
    assert refused.value.code == "unknown_order_type"


def test_a_taken_order_type_cannot_be_claimed_by_another_handler(orders):
    registry.register(ORDER_TYPE, orders)  # the same handler again is fine
    with pytest.raises(ValueError):
        registry.register(ORDER_TYPE, object())


def test_redirect_and_qr_checkout_open_one_gateway_trade(orders, account):
    payment = _create(account)
    redirect = services.start_checkout(payment=payment, method="redirect")
    trade = SandboxTrade.objects.get()
    assert redirect.url == f"/sandbox-pay/{trade.trade_no}/" and redirect.qr == ""
    assert redirect.expires_at == payment.expires_at
    qr = services.start_checkout(payment=payment, method="qr")
    assert qr.url == "" and qr.qr == f"sandboxpay://pay?trade_no={trade.trade_no}"
    payment.refresh_from_db()
    assert (payment.status, payment.provider_trade_no, payment.checkout_method) == ("pending", trade.trade_no, "qr")
    assert SandboxTrade.objects.count() == 1
    assert (trade.amount_fen, trade.subject, trade.expires_at) == (2500, "挂号费", payment.expires_at)
    assert trade.return_url == f"/me/payments/{payment.external_id}/"


def test_checkout_is_refused_for_closed_paid_and_expired_payments(orders, account, clock):
    closed = _create(account, order_id="b-closed")
    services.close_payment(payment=closed)
    with pytest.raises(PaymentClosed):
        services.start_checkout(payment=closed)
    paid = pay_at_gateway(_create(account, order_id="b-paid"))
    with pytest.raises(PaymentAlreadyPaid):
        services.start_checkout(payment=paid)
    late = _create(account, order_id="b-late")
    clock.advance(minutes=16)
    with pytest.raises(PaymentExpired):
        services.start_checkout(payment=late)
    with pytest.raises(ValidationFailed):
        services.start_checkout(payment=_create(account, order_id="b-bad"), method="cash")


def test_a_foreign_return_url_is_replaced_by_the_payment_page(orders, account):
    payment = _create(account)
    services.start_checkout(payment=payment, return_url="https://evil.example/steal")
    assert SandboxTrade.objects.get().return_url == f"/me/payments/{payment.external_id}/"
    services.start_checkout(payment=payment, return_url="/me/bookings/42/")
    assert SandboxTrade.objects.get().return_url == "/me/bookings/42/"


def test_a_disabled_sandbox_is_not_a_provider(orders, account, settings):
    settings.PAYMENTS_SANDBOX_ENABLED = False
    with pytest.raises(ProviderNotFound):
        new_payment(account)
