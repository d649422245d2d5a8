from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "yiyun.notifications"
    verbose_name = "消息通知"
