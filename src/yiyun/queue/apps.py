from django.apps import AppConfig


class QueueConfig(AppConfig):
    name = "yiyun.queue"
    label = "queue"
    verbose_name = "候诊叫号"
