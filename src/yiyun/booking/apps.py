from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "yiyun.booking"
    verbose_name = "预约挂号"
