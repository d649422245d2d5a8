from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "yiyun.booking"
    verbose_name = "预约挂号"

    def ready(self) -> None:
        from yiyun.booking.payment import ORDER_TYPE, PAYABLE
        from yiyun.payments import registry

        registry.register(ORDER_TYPE, PAYABLE)
