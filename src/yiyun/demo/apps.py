from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "yiyun.demo"
    verbose_name = "演示数据"
