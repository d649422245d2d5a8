from celery import shared_task

from yiyun.notifications import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_sms(notification_id: int) -> bool:
    return services.deliver_sms(notification_id=notification_id)
