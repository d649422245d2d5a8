from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "yiyun.patients"
    verbose_name = "就诊人"
