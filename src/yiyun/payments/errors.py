"""The payments app's domain errors (status, stable code, Chinese and English message)."""

from __future__ import annotations

from yiyun.core.errors import Conflict, DomainError, NotFound, ValidationFailed


class PaymentNotFound(NotFound):
    code = "payment_not_found"
    message = "未找到该支付单"
    message_en = "Payment not found"


class RefundNotFound(NotFound):
    code = "refund_not_found"
    message = "未找到该退款单"
    message_en = "Refund not found"


class ProviderNotFound(NotFound):
    code = "provider_not_found"
    message = "不支持该支付渠道"
    message_en = "Unknown payment provider"


class PaymentClosed(Conflict):
    code = "payment_closed"
    message = "支付单已关闭，请重新下单"
    message_en = "This payment is closed; please place the order again"


class PaymentExpired(Conflict):
    code = "payment_expired"
    message = "已超过支付时限"
    message_en = "The time to pay has run out"


class PaymentAlreadyPaid(Conflict):
    code = "payment_already_paid"
    message = "该订单已支付"
    message_en = "This order has already been paid"


class PaymentNotCaptured(Conflict):
    code = "payment_not_captured"
    message = "该支付单尚未收款，无法退款"
    message_en = "Nothing has been captured on this payment"


class PaymentMismatch(Conflict):
    code = "payment_mismatch"
    message = "该订单已有金额不同的待支付单"
    message_en = "This order already has an open payment for a different amount"


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"
    message = "幂等键已用于另一笔请求"
    message_en = "This idempotency key was already used for a different request"


class RefundExceedsCaptured(ValidationFailed):
    code = "refund_exceeds_captured"
    message = "退款金额超过可退金额"
    message_en = "The refund exceeds the amount that can still be refunded"


class BadSignature(DomainError):
    status = 400
    code = "bad_signature"
    message = "通知签名无效"
    message_en = "Bad notification signature"


class ProviderUnavailable(DomainError):
    """The gateway could not be reached or refused the call; safe to retry."""

    status = 503
    code = "provider_unavailable"
    message = "支付渠道暂时不可用，请稍后重试"
    message_en = "The payment provider is unavailable; please retry"
