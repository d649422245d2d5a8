from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "yiyun.catalog"
    verbose_name = "医院目录"
