from django.apps import AppConfig


class SandboxGatewayConfig(AppConfig):
    name = "yiyun.payments.sandbox"
    label = "sandboxpay"
    verbose_name = "沙箱支付网关"
