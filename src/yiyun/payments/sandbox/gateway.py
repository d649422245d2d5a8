"""The sandbox gateway's server side: what its HTTPS API and cashier would do, as plain functions over its own
tables. The merchant reaches it only through `yiyun.payments.providers.sandbox`; the cashier page calls
`pay_trade`. Errors carry gateway-style codes (ORDERPAID, TRADE_CLOSED, NOT_ENOUGH…)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from yiyun.payments.sandbox import notices
from yiyun.payments.sandbox.faults import current_faults
from yiyun.payments.sandbox.models import SandboxRefund, SandboxTrade

Trade = SandboxTrade.State


class GatewayError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


def qr_text(trade: SandboxTrade) -> str:
    """What the QR code encodes (like weixin://wxpay/bizpayurl?pr=…)."""
    return f"sandboxpay://pay?trade_no={trade.trade_no}"


def _expire_if_due(trade: SandboxTrade, now: dt.datetime) -> None:
    """Unpaid past its deadline: the gateway closes the trade itself (the row must be locked)."""
    if trade.state == Trade.NOTPAY and trade.expires_at <= now:
        trade.state, trade.closed_at = Trade.CLOSED, trade.expires_at
        trade.save(update_fields=["state", "closed_at"])


def create_trade(*, out_trade_no: str, amount_fen: int, subject: str, expires_at: dt.datetime, method: str,
                 return_url: str) -> SandboxTrade:
    """Open a trade; the same out_trade_no again returns it (refused if the amount differs or it closed)."""
    with transaction.atomic():
        trade = SandboxTrade.objects.select_for_update().filter(out_trade_no=out_trade_no).first()
        if trade is None:
            return SandboxTrade.objects.create(out_trade_no=out_trade_no, amount_fen=amount_fen,
                                               subject=subject, expires_at=expires_at, method=method,
                                               return_url=return_url)
        if trade.amount_fen != amount_fen:
            raise GatewayError("OUT_TRADE_NO_USED", "商户订单号重复，且金额不同")
        _expire_if_due(trade, timezone.now())
        if trade.state == Trade.CLOSED:
            raise GatewayError("TRADE_CLOSED", "订单已关闭")
        trade.method, trade.return_url = method, return_url
        trade.save(update_fields=["method", "return_url"])
        return trade


def trade_by_no(trade_no: str) -> SandboxTrade | None:
    with transaction.atomic():
        trade = SandboxTrade.objects.select_for_update().filter(trade_no=trade_no).first()
        if trade is not None:
            _expire_if_due(trade, timezone.now())
        return trade


def query_trade(*, out_trade_no: str) -> SandboxTrade | None:
    with transaction.atomic():
        trade = SandboxTrade.objects.select_for_update().filter(out_trade_no=out_trade_no).first()
        if trade is not None:
            _expire_if_due(trade, timezone.now())
        return trade


def close_trade(*, out_trade_no: str) -> SandboxTrade | None:
    """Close an unpaid trade. A paid one stays paid (the caller sees its state); unknown → None."""
    with transaction.atomic():
        trade = SandboxTrade.objects.select_for_update().filter(out_trade_no=out_trade_no).first()
        if trade is not None and trade.state == Trade.NOTPAY:
            trade.state, trade.closed_at = Trade.CLOSED, timezone.now()
            trade.save(update_fields=["state", "closed_at"])
        return trade


def pay_trade(*, trade_no: str) -> SandboxTrade:
    """The customer confirmed on the cashier: take the money and owe the merchant a notification.
    Pressing twice pays once."""
    with transaction.atomic():
        trade = SandboxTrade.objects.select_for_update().filter(trade_no=trade_no).first()
        if trade is None:
            raise GatewayError("ORDERNOTEXIST", "订单不存在")
        _expire_if_due(trade, timezone.now())
        if trade.is_paid:
            return trade
        if trade.state == Trade.CLOSED:
            raise GatewayError("TRADE_CLOSED", "订单已关闭，无法支付")
        trade.state, trade.paid_at = Trade.SUCCESS, timezone.now()
        trade.save(update_fields=["state", "paid_at"])
        notices.queue_notice(trade=trade, event_type=notices.PAYMENT_SUCCESS)
        return trade


def refund(*, out_trade_no: str, out_refund_no: str, amount_fen: int, reason: str) -> SandboxRefund:
    """Accept a refund for processing (asynchronous, like real gateways); idempotent on out_refund_no."""
    with transaction.atomic():
        trade = SandboxTrade.objects.select_for_update().filter(out_trade_no=out_trade_no).first()
        if trade is None:
            raise GatewayError("ORDERNOTEXIST", "订单不存在")
        existing = trade.refunds.filter(out_refund_no=out_refund_no).first()
        if existing is not None:
            if existing.amount_fen != amount_fen:
                raise GatewayError("PARAM_ERROR", "商户退款单号重复，且金额不同")
            return existing
        if not trade.is_paid:
            raise GatewayError("TRADE_NOT_PAID", "订单未支付，无法退款")
        processing = trade.refunds.filter(state=SandboxRefund.State.PROCESSING).aggregate(s=Sum("amount_fen"))
        if amount_fen > trade.amount_fen - trade.refunded_fen - (processing["s"] or 0):
            raise GatewayError("NOT_ENOUGH", "可退金额不足")
        delay = dt.timedelta(seconds=current_faults().refund_delay_seconds)
        created = SandboxRefund.objects.create(trade=trade, out_refund_no=out_refund_no,
                                               amount_fen=amount_fen, reason=reason[:200],
                                               due_at=timezone.now() + delay)
        if not delay:
            transaction.on_commit(lambda: _enqueue_processing(created.pk), robust=True)
        return created


def _enqueue_processing(refund_id: int) -> None:
    from yiyun.payments.sandbox.tasks import process_refund

    process_refund.delay(refund_id)


def process_refund(refund_id: int) -> SandboxRefund | None:
    """Pay a refund out (or fail it, when injected) and owe the merchant a notification."""
    refund_row = SandboxRefund.objects.filter(pk=refund_id).first()
    if refund_row is None:
        return None
    with transaction.atomic():
        trade = SandboxTrade.objects.select_for_update().get(pk=refund_row.trade_id)  # trade, then refund
        refund_row = SandboxRefund.objects.select_for_update().get(pk=refund_id)
        if refund_row.state != SandboxRefund.State.PROCESSING:
            return refund_row
        refund_row.finished_at = timezone.now()
        if current_faults().fail_refunds:
            refund_row.state = SandboxRefund.State.ABNORMAL
            refund_row.save(update_fields=["state", "finished_at"])
            notices.queue_notice(trade=trade, refund=refund_row, event_type=notices.REFUND_ABNORMAL)
            return refund_row
        refund_row.state = SandboxRefund.State.SUCCESS
        refund_row.save(update_fields=["state", "finished_at"])
        trade.refunded_fen += refund_row.amount_fen
        trade.state = Trade.REFUND
        trade.save(update_fields=["refunded_fen", "state"])
        notices.queue_notice(trade=trade, refund=refund_row, event_type=notices.REFUND_SUCCESS)
        return refund_row


def query_refund(*, out_refund_no: str) -> SandboxRefund | None:
    return SandboxRefund.objects.select_related("trade").filter(out_refund_no=out_refund_no).first()


def statement() -> list[SandboxTrade]:
    """The gateway's books: every trade that took money."""
    return list(SandboxTrade.objects.filter(state__in=[Trade.SUCCESS, Trade.REFUND]).order_by("id"))


def run_due_work(*, now: dt.datetime | None = None) -> dict[str, int]:
    """What the gateway's own clock drives: delayed refunds, then due and retried notifications."""
    now = now or timezone.now()
    due = SandboxRefund.objects.filter(state=SandboxRefund.State.PROCESSING, due_at__lte=now)
    refunds = [process_refund(pk) for pk in due.order_by("id").values_list("pk", flat=True)]
    return {"refunds": len(refunds), "notices": notices.deliver_due(now=now)}
