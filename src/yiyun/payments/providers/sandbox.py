"""Our adapter for the sandbox gateway: the same shape a 微信支付 or 支付宝 adapter has, calling the gateway's
API (in-process functions standing in for HTTPS) and verifying its signed notifications."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from yiyun.core.errors import ValidationFailed
from yiyun.payments.errors import BadSignature, ProviderUnavailable
from yiyun.payments.providers.base import (
    CheckoutStart,
    Method,
    Notice,
    PaymentProvider,
    RefundInfo,
    RefundState,
    StatementLine,
    TradeInfo,
    TradeState,
)
from yiyun.payments.sandbox import gateway, signing
from yiyun.payments.sandbox.models import SandboxRefund, SandboxTrade

_REFUND_STATES = {SandboxRefund.State.PROCESSING: RefundState.PROCESSING,
                  SandboxRefund.State.SUCCESS: RefundState.SUCCESS,
                  SandboxRefund.State.ABNORMAL: RefundState.FAILED}


def _trade_info(trade: SandboxTrade | None, out_trade_no: str) -> TradeInfo:
    if trade is None:
        return TradeInfo(out_trade_no=out_trade_no, state=TradeState.NOT_FOUND)
    return TradeInfo(out_trade_no=trade.out_trade_no, state=TradeState(trade.state), trade_no=trade.trade_no,
                     amount_fen=trade.amount_fen if trade.is_paid else 0, paid_at=trade.paid_at)


class SandboxProvider(PaymentProvider):
    name = "sandbox"

    def enabled(self) -> bool:
        return bool(settings.PAYMENTS_SANDBOX_ENABLED)

    def create_trade(self, *, out_trade_no: str, amount_fen: int, subject: str, expires_at: dt.datetime,
                     method: Method, return_url: str) -> CheckoutStart:
        try:
            trade = gateway.create_trade(out_trade_no=out_trade_no, amount_fen=amount_fen, subject=subject,
                                         expires_at=expires_at, method=str(method), return_url=return_url)
        except gateway.GatewayError as error:
            raise ProviderUnavailable(f"支付渠道拒绝：{error.message}", f"Gateway refused: {error.code}") from error
        return CheckoutStart(trade_no=trade.trade_no, qr=gateway.qr_text(trade),
                             url=reverse("sandboxpay:cashier", args=[trade.trade_no]))

    def query_trade(self, *, out_trade_no: str) -> TradeInfo:
        return _trade_info(gateway.query_trade(out_trade_no=out_trade_no), out_trade_no)

    def close_trade(self, *, out_trade_no: str) -> TradeInfo:
        return _trade_info(gateway.close_trade(out_trade_no=out_trade_no), out_trade_no)

    def refund(self, *, out_trade_no: str, out_refund_no: str, amount_fen: int, reason: str) -> RefundInfo:
        try:
            row = gateway.refund(out_trade_no=out_trade_no, out_refund_no=out_refund_no,
                                 amount_fen=amount_fen, reason=reason)
        except gateway.GatewayError as error:
            return RefundInfo(out_refund_no=out_refund_no, state=RefundState.FAILED,
                              failure_reason=f"{error.code}: {error.message}")
        return self._refund_info(row)

    def query_refund(self, *, out_refund_no: str) -> RefundInfo:
        row = gateway.query_refund(out_refund_no=out_refund_no)
        if row is None:
            return RefundInfo(out_refund_no=out_refund_no, state=RefundState.NOT_FOUND)
        return self._refund_info(row)

    @staticmethod
    def _refund_info(row: SandboxRefund) -> RefundInfo:
        return RefundInfo(out_refund_no=row.out_refund_no, state=_REFUND_STATES[row.state],
                          refund_no=row.refund_no, amount_fen=row.amount_fen,
                          failure_reason="渠道退款异常" if row.state == SandboxRefund.State.ABNORMAL else "")

    def parse_notification(self, *, body: bytes, headers: Mapping[str, str]) -> Notice:
        lower = {str(name).lower(): value for name, value in headers.items()}
        timestamp = lower.get(signing.HEADER_TIMESTAMP.lower(), "")
        nonce = lower.get(signing.HEADER_NONCE.lower(), "")
        given = lower.get(signing.HEADER_SIGNATURE.lower(), "")
        if not (timestamp and nonce and given) or not signing.verify(
                key=signing.merchant_key(), timestamp=timestamp, nonce=nonce, body=body, given=given):
            raise BadSignature()
        age = abs(timezone.now().timestamp() - int(timestamp)) if timestamp.isdigit() else None
        if age is None or age > settings.PAYMENTS_NOTIFY_MAX_SKEW_SECONDS:
            raise BadSignature("通知签名已过期", "Notification signature expired")
        try:
            return self._decode(json.loads(body))
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise ValidationFailed("通知内容格式错误", "Malformed notification", code="bad_notification") from error

    @staticmethod
    def _decode(data: dict) -> Notice:
        resource, amount = data["resource"], data["resource"]["amount"]
        paid_at = resource.get("success_time")
        paid_at = dt.datetime.fromisoformat(paid_at) if paid_at else None
        trade = TradeInfo(out_trade_no=str(resource["out_trade_no"]), trade_no=str(resource["transaction_id"]),
                          state=TradeState(resource["trade_state"]), amount_fen=int(amount["total"]),
                          paid_at=paid_at)
        refund = None
        if "out_refund_no" in resource:
            refund = RefundInfo(out_refund_no=str(resource["out_refund_no"]),
                                state=_REFUND_STATES[SandboxRefund.State(resource["refund_status"])],
                                refund_no=str(resource["refund_id"]), amount_fen=int(amount["refund"]))
        return Notice(notice_id=str(data["id"]), event=str(data["event_type"]), trade=trade, refund=refund)

    def statement(self) -> list[StatementLine]:
        return [StatementLine(out_trade_no=t.out_trade_no, trade_no=t.trade_no, paid_fen=t.amount_fen,
                              refunded_fen=t.refunded_fen) for t in gateway.statement()]
