from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yiyun.core"
    verbose_name = "核心"
