"""The interface every gateway adapter implements (微信支付, 支付宝, the sandbox…). Services talk to gateways
only through it; an adapter turns the gateway's wire format into these plain values and back."""

from __future__ import annotations

import datetime as dt
import json
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from yiyun.core.errors import DomainError


class Method(StrEnum):
    REDIRECT = "redirect"  # open the gateway's cashier page (H5 / 网页支付)
    QR = "qr"  # show a code to scan with the payment app (扫码支付 / Native)


class TradeState(StrEnum):
    NOT_FOUND = "NOT_FOUND"  # the gateway has no such trade (checkout never reached it)
    NOTPAY = "NOTPAY"
    SUCCESS = "SUCCESS"
    REFUND = "REFUND"  # paid, then (partly) refunded
    CLOSED = "CLOSED"


PAID_STATES = frozenset({TradeState.SUCCESS, TradeState.REFUND})


class RefundState(StrEnum):
    NOT_FOUND = "NOT_FOUND"
    PROCESSING = "PROCESSING"
    SUCCESS = "SUCCESS"
    FAILED = "FAILED"


@dataclass(frozen=True)
class CheckoutStart:
    """A trade opened at the gateway: its number there, the cashier URL and the QR text."""

    trade_no: str
    url: str
    qr: str


@dataclass(frozen=True)
class TradeInfo:
    out_trade_no: str
    state: TradeState
    trade_no: str = ""
    amount_fen: int = 0  # what the customer paid, when paid
    paid_at: dt.datetime | None = None


@dataclass(frozen=True)
class RefundInfo:
    out_refund_no: str
    state: RefundState
    refund_no: str = ""
    amount_fen: int = 0
    failure_reason: str = ""


@dataclass(frozen=True)
class Notice:
    """A verified notification: what the gateway says about a trade, and about one refund of it."""

    notice_id: str
    event: str
    trade: TradeInfo
    refund: RefundInfo | None = None


@dataclass(frozen=True)
class StatementLine:
    """One paid trade in the gateway's statement (对账单)."""

    out_trade_no: str
    trade_no: str
    paid_fen: int
    refunded_fen: int


class PaymentProvider(ABC):
    """Calls may raise `ProviderUnavailable` (network, gateway down): safe to retry later."""

    name: str = ""

    def enabled(self) -> bool:
        """False keeps the provider out of use (e.g. the sandbox on a production site)."""
        return True

    @abstractmethod
    def create_trade(self, *, out_trade_no: str, amount_fen: int, subject: str, expires_at: dt.datetime,
                     method: Method, return_url: str) -> CheckoutStart:
        """Open (or reopen: idempotent on out_trade_no) the trade at the gateway."""

    @abstractmethod
    def query_trade(self, *, out_trade_no: str) -> TradeInfo: ...

    @abstractmethod
    def close_trade(self, *, out_trade_no: str) -> TradeInfo:
        """Close an unpaid trade. Returns the trade's state after the call: SUCCESS if it was paid first."""

    @abstractmethod
    def refund(self, *, out_trade_no: str, out_refund_no: str, amount_fen: int, reason: str) -> RefundInfo:
        """Ask for a refund (idempotent on out_refund_no). A refusal comes back as state FAILED."""

    @abstractmethod
    def query_refund(self, *, out_refund_no: str) -> RefundInfo: ...

    @abstractmethod
    def parse_notification(self, *, body: bytes, headers: Mapping[str, str]) -> Notice:
        """Verify the signature and decode; raise `BadSignature` (nothing secret in its message)."""

    @abstractmethod
    def statement(self) -> list[StatementLine]:
        """Every paid trade as the gateway's books have it."""

    def ack(self) -> tuple[int, bytes]:
        """The answer that tells the gateway to stop re-sending a notification."""
        return 200, json.dumps({"code": "SUCCESS", "message": "成功"}, ensure_ascii=False).encode()

    def reject(self, error: DomainError) -> tuple[int, bytes]:
        """Any other answer makes the gateway retry later; ours carries the project's error envelope."""
        return error.status, json.dumps(error.envelope(), ensure_ascii=False).encode()
