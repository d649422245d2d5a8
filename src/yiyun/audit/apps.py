from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "yiyun.audit"
    verbose_name = "访问审计"
