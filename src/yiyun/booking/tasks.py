"""Timed booking work (Celery beat in production, the in-process ticker in the demo)."""

from celery import shared_task

from yiyun.booking import services


@shared_task
def expire_holds() -> int:
    return services.expire_holds()


@shared_task
def mark_no_shows() -> int:
    return services.mark_no_shows()


@shared_task
def send_reminders() -> int:
    return services.send_reminders()
