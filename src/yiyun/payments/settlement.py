"""Applying what the gateway says happened — a capture, a refund's outcome, a close — to our records.

Notifications, active queries and closes all come through here, so the rules are the same whichever
arrives first and however often: a payment is captured at most once, a refund settles at most once, and
every movement of money is posted to the ledger in the same transaction. Callers hold the payment row
lock (`lock_payment`) and take a refund's lock after it: one lock order, payment → refund → order."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from yiyun.core.money import format_yuan
from yiyun.payments import ledger, registry
from yiyun.payments.errors import IdempotencyKeyReused, PaymentNotCaptured, RefundExceedsCaptured
from yiyun.payments.models import Payment, Refund
from yiyun.payments.providers.base import PAID_STATES, RefundInfo, RefundState, TradeInfo, TradeState
from yiyun.payments.states import PaymentStatus, RefundStatus, move_payment, move_refund

logger = logging.getLogger("yiyun.payments")

AUTO_REFUND_KEY = "auto-full"
REFUSED_CLOSED = "订单已关闭（超时未支付或已取消），款项自动全额退回"
REFUSED_AMOUNT = "实付金额与订单金额不符，款项自动全额退回"
REFUSED_BY_ORDER = "订单已失效（如号源保留已超时），款项自动全额退回"
REFUSED_NO_HANDLER = "订单类型未注册，款项自动全额退回"


def lock_payment(pk: int) -> Payment:
    return Payment.objects.select_for_update().get(pk=pk)


def lock_refund(pk: int) -> Refund:
    return Refund.objects.select_for_update().get(pk=pk)


def in_flight_fen(payment: Payment) -> int:
    """Refunds asked of the gateway and not yet settled."""
    total = payment.refunds.filter(status=RefundStatus.REQUESTED).aggregate(total=Sum("amount_fen"))["total"]
    return total or 0


def apply_trade(*, payment: Payment, trade: TradeInfo) -> str:
    """Bring a locked payment in line with the gateway's view of its trade. Returns what changed."""
    if trade.state in PAID_STATES:
        if payment.captured_fen:
            return "already_captured"
        capture(payment=payment, amount_fen=trade.amount_fen, trade_no=trade.trade_no, paid_at=trade.paid_at)
        return "captured"
    if trade.state == TradeState.CLOSED and payment.is_open:
        close(payment=payment, reason="支付渠道已关闭交易（超时未支付）")
        return "closed"
    return "no_change"


def capture(*, payment: Payment, amount_fen: int, trade_no: str = "", paid_at=None) -> None:
    """Record money the gateway took, then ask the order whether it still wants it; if not, refund it all."""
    was_closed = payment.status == PaymentStatus.CLOSED
    move_payment(payment, PaymentStatus.SUCCEEDED)
    payment.captured_fen = amount_fen
    payment.provider_trade_no = trade_no or payment.provider_trade_no
    payment.paid_at = paid_at or timezone.now()
    payment.updated_at = timezone.now()
    payment.save()
    ledger.record_capture(payment=payment, amount_fen=amount_fen)
    refusal = _refusal(payment, was_closed=was_closed)
    if refusal:
        logger.info("payment %s captured but refused (%s): refunding in full", payment.out_trade_no, refusal)
        request_refund(payment=payment, amount_fen=amount_fen, reason=refusal,
                       idempotency_key=AUTO_REFUND_KEY, kind=Refund.Kind.AUTOMATIC)


def _refusal(payment: Payment, *, was_closed: bool) -> str:
    """Why the captured money cannot stay with the order ("" when it can)."""
    if was_closed:
        return REFUSED_CLOSED
    if payment.captured_fen != payment.amount_fen:
        return REFUSED_AMOUNT
    handler = registry.handler_for(payment.order_type)
    if handler is None:
        logger.error("no handler registered for order type %r (payment %s)", payment.order_type,
                     payment.out_trade_no)
        return REFUSED_NO_HANDLER
    return "" if handler.on_paid(payment) else REFUSED_BY_ORDER


def close(*, payment: Payment, reason: str) -> None:
    move_payment(payment, PaymentStatus.CLOSED)
    payment.closed_at = payment.updated_at = timezone.now()
    payment.close_reason = reason[:200]
    payment.save(update_fields=["status", "closed_at", "updated_at", "close_reason"])


def request_refund(*, payment: Payment, amount_fen: int, reason: str, idempotency_key: str,
                   kind: str = Refund.Kind.REQUESTED) -> Refund:
    """Create a refund of a locked payment and post it; it goes to the gateway after the commit."""
    existing = payment.refunds.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.amount_fen != amount_fen:
            raise IdempotencyKeyReused()
        return existing
    if not payment.captured_fen:
        raise PaymentNotCaptured()
    refundable = payment.captured_fen - payment.refunded_fen - in_flight_fen(payment)
    if amount_fen > refundable:
        raise RefundExceedsCaptured(fields={"amount_fen": f"最多可退 {format_yuan(refundable)}"})
    refund = Refund.objects.create(payment=payment, amount_fen=amount_fen, reason=reason[:200], kind=kind,
                                   idempotency_key=idempotency_key)
    ledger.record_refund_requested(refund=refund)
    transaction.on_commit(lambda: _enqueue_submit(refund.pk), robust=True)
    return refund


def _enqueue_submit(refund_id: int) -> None:
    from yiyun.payments.tasks import submit_refund

    submit_refund.delay(refund_id)


def apply_refund_result(*, payment: Payment, refund: Refund, info: RefundInfo) -> str:
    """Settle a locked refund of a locked payment as the gateway reports it. Settles at most once."""
    if refund.status != RefundStatus.REQUESTED:
        return "already_settled"
    if info.refund_no and not refund.provider_refund_no:
        refund.provider_refund_no = info.refund_no
    if info.state == RefundState.SUCCESS:
        _refund_paid(payment, refund)
        return "refund_succeeded"
    if info.state == RefundState.FAILED:
        move_refund(refund, RefundStatus.FAILED)
        refund.failure_reason = (info.failure_reason or "渠道拒绝退款")[:200]
        refund.finished_at = timezone.now()
        refund.save()
        ledger.record_refund_failed(refund=refund)
        logger.warning("refund %s of payment %s failed: %s", refund.out_refund_no, payment.out_trade_no,
                       refund.failure_reason)
        return "refund_failed"
    refund.save(update_fields=["provider_refund_no"])
    return "no_change"


def _refund_paid(payment: Payment, refund: Refund) -> None:
    move_refund(refund, RefundStatus.SUCCEEDED)
    refund.finished_at = timezone.now()
    refund.save()
    payment.refunded_fen += refund.amount_fen
    fully = payment.refunded_fen == payment.captured_fen
    move_payment(payment, PaymentStatus.REFUNDED if fully else PaymentStatus.PARTIALLY_REFUNDED)
    payment.updated_at = timezone.now()
    payment.save(update_fields=["refunded_fen", "status", "updated_at"])
    ledger.record_refund_paid(refund=refund)
    handler = registry.handler_for(payment.order_type)
    if handler is not None:
        refund.payment = payment
        handler.on_refunded(refund)
