"""Payment endpoints: the gateways' notification hook (no login, signature-checked), and an account's own
payments (anyone else's answers 404)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpResponse
from ninja import Router, Schema

from yiyun.core.apikit import ERROR_RESPONSES, ErrorOut
from yiyun.payments import selectors, services
from yiyun.payments.models import Payment

router = Router(tags=["支付 Payments"])


class RefundOut(Schema):
    id: str
    amount_fen: int
    status: str
    status_label: str
    kind: str
    reason: str
    created_at: dt.datetime
    finished_at: dt.datetime | None


class PaymentOut(Schema):
    id: str
    status: str
    status_label: str
    subject: str
    order_type: str
    order_id: str
    amount_fen: int
    captured_fen: int
    refunded_fen: int
    expires_at: dt.datetime
    created_at: dt.datetime
    paid_at: dt.datetime | None
    closed_at: dt.datetime | None
    refunds: list[RefundOut]


class CheckoutIn(Schema):
    method: Literal["redirect", "qr"] = "redirect"
    return_url: str = ""


class CheckoutOut(Schema):
    method: str
    url: str | None
    qr: str | None
    expires_at: dt.datetime


def refund_out(refund) -> dict:
    return {"id": str(refund.external_id), "amount_fen": refund.amount_fen, "status": refund.status,
            "status_label": refund.get_status_display(), "kind": refund.kind, "reason": refund.reason,
            "created_at": refund.created_at, "finished_at": refund.finished_at}


def payment_out(payment: Payment) -> dict:
    return {
        "id": str(payment.external_id), "status": payment.status,
        "status_label": payment.get_status_display(), "subject": payment.subject, "order_type": payment.order_type, "order_id": payment.order_id,
        "amount_fen": payment.amount_fen, "captured_fen": payment.captured_fen,
        "refunded_fen": payment.refunded_fen, "expires_at": payment.expires_at,
        "created_at": payment.created_at, "paid_at": payment.paid_at, "closed_at": payment.closed_at,
        "refunds": [refund_out(r) for r in payment.refunds.all()],
    }


@router.post("/notify/{provider}", auth=None, summary="支付渠道异步通知（验签；渠道调用）",
             response={200: dict, **ERROR_RESPONSES})
def notify(request, provider: str):
    status, body = services.handle_notification(provider=provider, body=request.body, headers=request.headers)
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


@router.get("", response={200: list[PaymentOut], **ERROR_RESPONSES}, summary="我的支付记录")
def my_payments(request, limit: int = 50, offset: int = 0):
    limit = max(1, min(limit, 200))
    return [payment_out(p) for p in selectors.payments_of(user=request.user)[offset: offset + limit]]


@router.get("/{payment_id}", response={200: PaymentOut, **ERROR_RESPONSES}, summary="支付单详情")
def get_payment(request, payment_id: str):
    return payment_out(selectors.access_payment(user=request.user, external_id=payment_id))


@router.post("/{payment_id}/checkout", response={200: CheckoutOut, **ERROR_RESPONSES, 503: ErrorOut},
             summary="去支付：收银台地址（redirect）或二维码内容（qr）")
def checkout(request, payment_id: str, payload: CheckoutIn):
    payment = selectors.access_payment(user=request.user, external_id=payment_id)
    started = services.start_checkout(payment=payment, method=payload.method, return_url=payload.return_url)
    return {"method": started.method, "url": started.url or None, "qr": started.qr or None,
            "expires_at": started.expires_at}
