from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "yiyun.triage"
    verbose_name = "智能导诊"
