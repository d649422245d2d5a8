"""The double-entry ledger: one posting per movement of money, written in the transaction that records it.

    capture          gateway_clearing +X   order_revenue −X
    refund requested order_revenue    +R   refunds       −R
    refund paid      refunds          +R   gateway_clearing −R
    refund failed    refunds          +R   order_revenue −R   (the money goes back to the order)

So at any moment, for one payment: gateway_clearing = captured − refunded, refunds = −(refunds in flight),
order_revenue = −(captured − refunded − in flight), and the three sum to zero."""

from __future__ import annotations

import uuid

from django.db.models import Sum

from yiyun.payments.models import LedgerAccount, LedgerEntry, Payment, Refund

A = LedgerAccount
K = LedgerEntry.Kind


def _post(*, kind: str, payment: Payment, lines: list[tuple[str, int]],
          refund: Refund | None = None) -> uuid.UUID:
    if sum(amount for _, amount in lines) != 0 or any(amount == 0 for _, amount in lines):
        raise ValueError(f"unbalanced posting {kind}: {lines}")
    txn = uuid.uuid4()
    LedgerEntry.objects.bulk_create([
        LedgerEntry(txn=txn, kind=kind, payment=payment, refund=refund, account=account, amount_fen=amount)
        for account, amount in lines
    ])
    return txn


def record_capture(*, payment: Payment, amount_fen: int) -> uuid.UUID:
    return _post(kind=K.CAPTURE, payment=payment,
                 lines=[(A.GATEWAY_CLEARING, amount_fen), (A.ORDER_REVENUE, -amount_fen)])


def record_refund_requested(*, refund: Refund) -> uuid.UUID:
    return _post(kind=K.REFUND_REQUESTED, payment=refund.payment, refund=refund,
                 lines=[(A.ORDER_REVENUE, refund.amount_fen), (A.REFUNDS, -refund.amount_fen)])


def record_refund_paid(*, refund: Refund) -> uuid.UUID:
    return _post(kind=K.REFUND_PAID, payment=refund.payment, refund=refund,
                 lines=[(A.REFUNDS, refund.amount_fen), (A.GATEWAY_CLEARING, -refund.amount_fen)])


def record_refund_failed(*, refund: Refund) -> uuid.UUID:
    return _post(kind=K.REFUND_FAILED, payment=refund.payment, refund=refund,
                 lines=[(A.REFUNDS, refund.amount_fen), (A.ORDER_REVENUE, -refund.amount_fen)])


def balances(*, payment: Payment) -> dict[str, int]:
    """The payment's balance on each ledger account (0 for accounts it never touched)."""
    rows = (LedgerEntry.objects.filter(payment=payment).values("account").annotate(total=Sum("amount_fen")))
    found = {row["account"]: row["total"] for row in rows}
    return {account: found.get(account, 0) for account in A.values}


def expected_balances(*, captured_fen: int, refunded_fen: int, in_flight_fen: int) -> dict[str, int]:
    """What the ledger must say for a payment with these totals (see the module docstring)."""
    return {
        A.GATEWAY_CLEARING: captured_fen - refunded_fen,
        A.ORDER_REVENUE: -(captured_fen - refunded_fen - in_flight_fen),
        A.REFUNDS: -in_flight_fen,
    }
