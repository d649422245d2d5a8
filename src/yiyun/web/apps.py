from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "yiyun.web"
    verbose_name = "网页"
