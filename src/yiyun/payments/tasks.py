"""Background work for payments (Celery; eager in the embedded default): sending refunds to the gateway,
and the periodic sync that asks the gateway about payments and refunds whose notifications never came."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from yiyun.core.errors import DomainError
from yiyun.payments import selectors, services
from yiyun.payments.models import Refund

logger = logging.getLogger("yiyun.payments")


@shared_task(name="payments.submit_refund")
def submit_refund(refund_id: int) -> None:
    refund = Refund.objects.filter(pk=refund_id).first()
    if refund is not None:
        services.submit_refund(refund=refund)


@shared_task(name="payments.sync_stale")
def sync_stale_payments(limit: int = 500) -> dict[str, int]:
    """Periodic (beat): query the gateway about stale open payments (capturing the paid, closing the
    expired) and requested refunds; one failure does not stop the rest."""
    now = timezone.now()
    counts = {"payments": 0, "refunds": 0, "errors": 0}
    for payment in selectors.payments_to_sync(now=now)[:limit]:
        try:
            services.query_and_sync(payment=payment)
            counts["payments"] += 1
        except DomainError as error:
            counts["errors"] += 1
            logger.warning("sync of payment %s failed: %s", payment.out_trade_no, error.code)
    for refund in selectors.refunds_to_sync(now=now)[:limit]:
        try:
            services.sync_refund(refund=refund)
            counts["refunds"] += 1
        except DomainError as error:
            counts["errors"] += 1
            logger.warning("sync of refund %s failed: %s", refund.out_refund_no, error.code)
    return counts
