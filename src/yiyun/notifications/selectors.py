from django.db.models import QuerySet

from yiyun.notifications.models import Notification


def inbox(*, account) -> QuerySet[Notification]:
    return Notification.objects.filter(account=account)


def unread_count(*, account) -> int:
    return Notification.objects.filter(account=account, read_at__isnull=True).count()
