"""The states of a payment and of a refund, and the moves allowed between them — written once, here.
Every status change goes through `move_payment` / `move_refund`, which refuse anything not listed."""

from __future__ import annotations

from django.db import models


class PaymentStatus(models.TextChoices):
    CREATED = "created", "待支付"
    PENDING = "pending", "支付中"
    SUCCEEDED = "succeeded", "已支付"
    PARTIALLY_REFUNDED = "partially_refunded", "部分退款"
    REFUNDED = "refunded", "已退款"
    CLOSED = "closed", "已关闭"


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", "退款中"
    SUCCEEDED = "succeeded", "已退款"
    FAILED = "failed", "退款失败"


P = PaymentStatus
PAYMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    P.CREATED: frozenset({P.PENDING, P.CLOSED,
                          P.SUCCEEDED}),  # the gateway took the money though our checkout step never finished
    P.PENDING: frozenset({P.SUCCEEDED, P.CLOSED}),
    P.SUCCEEDED: frozenset({P.PARTIALLY_REFUNDED, P.REFUNDED}),
    P.PARTIALLY_REFUNDED: frozenset({P.PARTIALLY_REFUNDED, P.REFUNDED}),
    P.REFUNDED: frozenset(),
    # Paid after the close (the hold expired while the customer paid): the money is real, so it is
    # captured and then refunded in full automatically.
    P.CLOSED: frozenset({P.SUCCEEDED}),
}
OPEN_STATUSES = frozenset({P.CREATED, P.PENDING})
CAPTURED_STATUSES = frozenset({P.SUCCEEDED, P.PARTIALLY_REFUNDED, P.REFUNDED})

R = RefundStatus
REFUND_TRANSITIONS: dict[str, frozenset[str]] = {
    R.REQUESTED: frozenset({R.SUCCEEDED, R.FAILED}),
    R.SUCCEEDED: frozenset(),
    R.FAILED: frozenset(),
}


class IllegalTransition(RuntimeError):
    """A bug, not bad input: code tried a move the tables above do not allow."""


def check_move(table: dict[str, frozenset[str]], current: str, new: str) -> None:
    if new not in table[current]:
        raise IllegalTransition(f"{current} → {new} is not allowed")


def move_payment(payment, new: str) -> None:
    check_move(PAYMENT_TRANSITIONS, payment.status, new)
    payment.status = new


def move_refund(refund, new: str) -> None:
    check_move(REFUND_TRANSITIONS, refund.status, new)
    refund.status = new
