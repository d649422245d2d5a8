"""Everything that writes payments: create, check out, take notifications, refund, close, sync with the
gateway.

Keyword-only and idempotent: a retried call returns what the first one made. Calls to the gateway happen
outside database transactions; what they report is applied by `settlement` under the payment row lock.
Call these outside your own order transaction (lock order: payment, then order — see `registry`)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from yiyun.core.errors import DomainError, ValidationFailed
from yiyun.payments import registry, settlement
from yiyun.payments.errors import (
    IdempotencyKeyReused,
    PaymentAlreadyPaid,
    PaymentClosed,
    PaymentExpired,
    PaymentMismatch,
    PaymentNotFound,
    ProviderUnavailable,
    RefundNotFound,
)
from yiyun.payments.models import Payment, PaymentNotification, Refund
from yiyun.payments.providers import get_provider
from yiyun.payments.providers.base import PAID_STATES, Method, Notice, RefundState
from yiyun.payments.states import CAPTURED_STATUSES, OPEN_STATUSES, PaymentStatus, RefundStatus, move_payment

logger = logging.getLogger("yiyun.payments")

MAX_AMOUNT_FEN = 2_000_000_000  # fits the column; far above any fee


@dataclass(frozen=True)
class Checkout:
    """Where the customer pays: the cashier page (`url`, method "redirect") or a code to scan (`qr`)."""

    method: str
    url: str
    qr: str
    expires_at: dt.datetime


# --- creating and checking out ---------------------------------------------------------------------

def create_payment(*, order_type: str, order_id: str, account, amount_fen: int, subject: str,
                   expires_at: dt.datetime, idempotency_key: str | None = None, hospital=None,
                   provider: str | None = None) -> Payment:
    """The open payment of an order. One open payment per order: repeating the call (with or without the
    same idempotency key) returns the same payment; an order already paid is refused."""
    order_id = _check_order(order_type, order_id)
    _check_amount(amount_fen)
    subject = (subject or "").strip()
    if not subject or len(subject) > 128:
        raise ValidationFailed.field("subject", "请填写商品描述（最多128字）", "Subject must be 1–128 characters")
    if timezone.is_naive(expires_at) or expires_at <= timezone.now():
        raise ValidationFailed.field("expires_at", "支付截止时间须为将来的时间（含时区）",
                                     "expires_at must be a timezone-aware time in the future")
    provider = provider or settings.PAYMENTS_DEFAULT_PROVIDER
    get_provider(provider)
    key = _check_key(idempotency_key) if idempotency_key is not None else None
    request = {"order_type": order_type, "order_id": order_id, "account": account, "amount_fen": amount_fen}
    existing = _existing_payment(key=key, **request)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            paid = [PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED]
            if Payment.objects.filter(order_type=order_type, order_id=order_id, status__in=paid).exists():
                raise PaymentAlreadyPaid()
            return Payment.objects.create(
                order_type=order_type, order_id=order_id, account=account, hospital=hospital, subject=subject,
                amount_fen=amount_fen, expires_at=expires_at, idempotency_key=key, provider=provider)
    except IntegrityError:
        existing = _existing_payment(key=key, **request)  # a concurrent twin won the race: answer with it
        if existing is None:
            raise
        return existing


def _existing_payment(*, key, order_type, order_id, account, amount_fen) -> Payment | None:
    if key is not None:
        payment = Payment.objects.filter(account=account, idempotency_key=key).first()
        if payment is not None:
            asked = (order_type, order_id, amount_fen)
            if (payment.order_type, payment.order_id, payment.amount_fen) != asked:
                raise IdempotencyKeyReused()
            return payment
    payment = Payment.objects.filter(order_type=order_type, order_id=order_id,
                                     status__in=OPEN_STATUSES).first()
    if payment is not None and (payment.account_id != account.pk or payment.amount_fen != amount_fen):
        raise PaymentMismatch()
    return payment


def start_checkout(*, payment: Payment, method: str = Method.REDIRECT, return_url: str = "") -> Checkout:
    """Open the trade at the gateway and say where to pay. Repeatable: the same trade each time."""
    if method not in Method.__members__.values():
        raise ValidationFailed.field("method", "支付方式应为 redirect 或 qr", "method must be redirect or qr")
    payment = Payment.objects.get(pk=payment.pk)
    _check_payable(payment)
    if not _is_local_path(return_url):
        return_url = reverse("payments:detail", args=[payment.external_id])
    started = get_provider(payment.provider).create_trade(
        out_trade_no=payment.out_trade_no, amount_fen=payment.amount_fen, subject=payment.subject,
        expires_at=payment.expires_at, method=Method(method), return_url=return_url)
    with transaction.atomic():
        payment = settlement.lock_payment(payment.pk)
        _check_payable(payment)
        if payment.status == PaymentStatus.CREATED:
            move_payment(payment, PaymentStatus.PENDING)
        payment.provider_trade_no = started.trade_no
        payment.checkout_method = method
        payment.updated_at = timezone.now()
        payment.save(update_fields=["status", "provider_trade_no", "checkout_method", "updated_at"])
    return Checkout(method=method, url=started.url if method == Method.REDIRECT else "",
                    qr=started.qr if method == Method.QR else "", expires_at=payment.expires_at)


def _check_payable(payment: Payment) -> None:
    if payment.status == PaymentStatus.CLOSED:
        raise PaymentClosed()
    if payment.status in CAPTURED_STATUSES:
        raise PaymentAlreadyPaid()
    if payment.expires_at <= timezone.now():
        raise PaymentExpired()


# --- notifications from the gateway -----------------------------------------------------------------

def handle_notification(*, provider: str, body: bytes, headers: Mapping[str, str]) -> tuple[int, bytes]:
    """Verify and apply one gateway notification; answer (HTTP status, body) as the gateway expects.
    A repeat of a notice changes nothing; a notice that comes late or out of order is applied by the same
    idempotent rules (never a second capture, never a lost fen)."""
    try:
        gateway = get_provider(provider)
    except DomainError as error:
        return error.status, json.dumps(error.envelope(), ensure_ascii=False).encode()
    try:
        notice = gateway.parse_notification(body=body, headers=headers)
    except DomainError as error:  # bad signature or malformed: nothing from the body is trusted or logged
        logger.warning("rejected a %s notification: %s", provider, error.code)
        return gateway.reject(error)
    try:
        outcome = _apply_notice(provider, notice, body)
    except DomainError as error:
        logger.warning("could not apply %s notice %s for %s: %s", provider, notice.notice_id,
                       notice.trade.out_trade_no, error.code)
        return gateway.reject(error)
    logger.info("%s notice %s (%s) for %s: %s", provider, notice.notice_id, notice.event,
                notice.trade.out_trade_no, outcome)
    return gateway.ack()


def _apply_notice(provider: str, notice: Notice, body: bytes) -> str:
    with transaction.atomic():
        payment = (Payment.objects.select_for_update()
                   .filter(provider=provider, out_trade_no=notice.trade.out_trade_no).first())
        if payment is None:
            raise PaymentNotFound()
        if PaymentNotification.objects.filter(provider=provider, notice_id=notice.notice_id).exists():
            return "duplicate"
        outcome = settlement.apply_trade(payment=payment, trade=notice.trade)
        refund = None
        if notice.refund is not None:
            refund = (payment.refunds.select_for_update()
                      .filter(out_refund_no=notice.refund.out_refund_no).first())
            if refund is None:
                raise RefundNotFound()
            outcome = settlement.apply_refund_result(payment=payment, refund=refund, info=notice.refund)
        PaymentNotification.objects.create(provider=provider, notice_id=notice.notice_id, event=notice.event,
                                           payment=payment, refund=refund, outcome=outcome,
                                           body=body.decode("utf-8", "replace"))
        return outcome


# --- refunds ------------------------------------------------------------------------------------------

def refund(*, payment: Payment, amount_fen: int, reason: str, idempotency_key: str) -> Refund:
    """Refund part or all of what was captured, never more. Retrying with the same key returns the same
    refund. The refund goes to the gateway after the commit; its outcome arrives by notification."""
    _check_amount(amount_fen, field="amount_fen")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.field("reason", "请填写退款原因", "A reason is required")
    key = _check_key(idempotency_key)
    with transaction.atomic():
        locked = settlement.lock_payment(payment.pk)
        created = settlement.request_refund(payment=locked, amount_fen=amount_fen, reason=reason,
                                            idempotency_key=key)
    created.refresh_from_db()
    return created


def submit_refund(*, refund: Refund) -> Refund:
    """Send a requested refund to the gateway (idempotent there on out_refund_no)."""
    refund = Refund.objects.select_related("payment").get(pk=refund.pk)
    if refund.status != RefundStatus.REQUESTED:
        return refund
    payment = refund.payment
    try:
        info = get_provider(payment.provider).refund(
            out_trade_no=payment.out_trade_no, out_refund_no=refund.out_refund_no,
            amount_fen=refund.amount_fen, reason=refund.reason)
    except ProviderUnavailable:
        logger.warning("refund %s not submitted (gateway unavailable); the sync task retries",
                       refund.out_refund_no)
        return refund
    return _apply_refund_info(refund, info, submitted=True)


def sync_refund(*, refund: Refund) -> Refund:
    """Ask the gateway how a requested refund stands; resubmit it if the gateway never received it."""
    refund = Refund.objects.select_related("payment").get(pk=refund.pk)
    if refund.status != RefundStatus.REQUESTED:
        return refund
    info = get_provider(refund.payment.provider).query_refund(out_refund_no=refund.out_refund_no)
    if info.state == RefundState.NOT_FOUND:
        return submit_refund(refund=refund)
    return _apply_refund_info(refund, info)


def _apply_refund_info(refund: Refund, info, *, submitted: bool = False) -> Refund:
    with transaction.atomic():
        payment = settlement.lock_payment(refund.payment_id)
        refund = settlement.lock_refund(refund.pk)
        if submitted and refund.submitted_at is None:
            refund.submitted_at = timezone.now()
            refund.save(update_fields=["submitted_at"])
        settlement.apply_refund_result(payment=payment, refund=refund, info=info)
    refund.refresh_from_db()
    return refund


# --- closing and active queries ----------------------------------------------------------------------

def close_payment(*, payment: Payment, reason: str = "订单已关闭") -> Payment:
    """Close an unpaid payment (its order's hold expired or it was cancelled); the gateway trade is closed
    too. If the customer paid just before, the money is captured instead and the order's handler decides
    (a released order refuses, so it is refunded). A "paid" notice arriving after the close is captured
    and refunded in full automatically. Closing a closed or paid payment changes nothing."""
    payment = Payment.objects.get(pk=payment.pk)
    if not payment.is_open:
        return payment
    trade = None
    try:
        trade = get_provider(payment.provider).close_trade(out_trade_no=payment.out_trade_no)
    except ProviderUnavailable:
        logger.warning("could not close trade %s at the gateway; closing locally "
                       "(a late payment will be refunded)", payment.out_trade_no)
    with transaction.atomic():
        payment = settlement.lock_payment(payment.pk)
        if trade is not None and trade.state in PAID_STATES:
            settlement.apply_trade(payment=payment, trade=trade)
        elif payment.is_open:
            settlement.close(payment=payment, reason=reason)
    return Payment.objects.get(pk=payment.pk)


def query_and_sync(*, payment: Payment) -> Payment:
    """Ask the gateway about a payment whose notices may be lost: capture it if paid, settle its requested
    refunds, and close it if it is unpaid past its deadline (plus PAYMENTS_CLOSE_GRACE_SECONDS)."""
    gateway = get_provider(payment.provider)
    trade = gateway.query_trade(out_trade_no=payment.out_trade_no)
    with transaction.atomic():
        locked = settlement.lock_payment(payment.pk)
        settlement.apply_trade(payment=locked, trade=trade)
    for requested in Refund.objects.filter(payment_id=payment.pk, status=RefundStatus.REQUESTED):
        sync_refund(refund=requested)
    payment = Payment.objects.get(pk=payment.pk)
    grace = dt.timedelta(seconds=settings.PAYMENTS_CLOSE_GRACE_SECONDS)
    if payment.is_open and payment.expires_at + grace <= timezone.now():
        payment = close_payment(payment=payment, reason="超过支付时限未支付")
    return payment


# --- checks --------------------------------------------------------------------------------------------

def _check_order(order_type: str, order_id) -> str:
    if not registry.is_registered(order_type):
        raise ValidationFailed.field("order_type", "不支持的订单类型", "Unknown order type",
                                     code="unknown_order_type")
    order_id = str(order_id or "").strip()
    if not order_id or len(order_id) > 64:
        raise ValidationFailed.field("order_id", "订单编号有误", "order_id must be 1–64 characters")
    return order_id


def _check_amount(amount_fen, *, field: str = "amount_fen") -> None:
    is_int = isinstance(amount_fen, int) and not isinstance(amount_fen, bool)
    if not is_int or not 0 < amount_fen <= MAX_AMOUNT_FEN:
        raise ValidationFailed.field(field, "金额应为正整数（单位：分）", "Amount must be a positive integer of fen")


def _check_key(key) -> str:
    key = str(key or "").strip()
    if not key or len(key) > 64:
        raise ValidationFailed.field("idempotency_key", "幂等键应为1–64个字符",
                                     "idempotency_key must be 1–64 characters")
    return key


def _is_local_path(url: str) -> bool:
    return bool(url) and url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
