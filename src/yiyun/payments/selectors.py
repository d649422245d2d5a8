"""Reads of payments: an account's own payments (anyone else's answers 404), and what the periodic sync
should look at."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db.models import QuerySet

from yiyun.payments.errors import PaymentNotFound
from yiyun.payments.models import Payment, Refund
from yiyun.payments.states import OPEN_STATUSES, RefundStatus


def payments_of(*, user) -> QuerySet[Payment]:
    return Payment.objects.filter(account=user).prefetch_related("refunds")


def access_payment(*, user, external_id) -> Payment:
    """The payment if it belongs to the user; otherwise 404 (existence is not revealed)."""
    try:
        key = uuid.UUID(str(external_id))
    except ValueError:
        raise PaymentNotFound() from None
    if user is None or not getattr(user, "is_authenticated", False):
        raise PaymentNotFound()
    payment = payments_of(user=user).filter(external_id=key).first()
    if payment is None:
        raise PaymentNotFound()
    return payment


def payments_to_sync(*, now: dt.datetime) -> QuerySet[Payment]:
    """Open payments old enough that a notification should have come, or past their deadline."""
    cutoff = now - dt.timedelta(seconds=settings.PAYMENTS_SYNC_AFTER_SECONDS)
    return Payment.objects.filter(status__in=OPEN_STATUSES, updated_at__lte=cutoff).order_by("updated_at")


def refunds_to_sync(*, now: dt.datetime) -> QuerySet[Refund]:
    cutoff = now - dt.timedelta(seconds=settings.PAYMENTS_SYNC_AFTER_SECONDS)
    return Refund.objects.filter(status=RefundStatus.REQUESTED, created_at__lte=cutoff).order_by("created_at")
