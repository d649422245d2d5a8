"""The sandbox gateway's background work (Celery; eager in the embedded default)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from yiyun.payments.sandbox import gateway, notices


@shared_task(name="sandboxpay.deliver_notice")
def deliver_notice(notice_id: int) -> bool:
    return notices.deliver(notice_id)


@shared_task(name="sandboxpay.process_refund")
def process_refund(refund_id: int) -> None:
    gateway.process_refund(refund_id)


@shared_task(name="sandboxpay.run_due_work")
def run_due_work() -> dict[str, int]:
    """Periodic (beat): delayed refunds and due or retried notifications (nothing where the sandbox is off)."""
    if not settings.PAYMENTS_SANDBOX_ENABLED:
        return {"refunds": 0, "notices": 0}
    return gateway.run_due_work()
