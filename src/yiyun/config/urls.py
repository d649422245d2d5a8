"""The URL map: pages, the JSON API under /api/, the back-office under /admin/."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from yiyun.core.api import api

urlpatterns = [
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("yiyun.web.urls")),
]

__all__ = ["urlpatterns", "i18n_patterns"]
