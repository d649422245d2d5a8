from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "yiyun.scheduling"
    verbose_name = "排班"
