from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "yiyun.payments"
    verbose_name = "支付与退款"
