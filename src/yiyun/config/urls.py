"""The URL map: pages, the JSON API under /api/, the back-office under /admin/."""

from django.contrib import admin
from django.urls import include, path

from yiyun.config.api import api

urlpatterns = [
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("yiyun.accounts.urls")),
    path("me/patients/", include("yiyun.patients.urls")),
    path("me/access-log/", include("yiyun.audit.urls")),
    path("me/inbox/", include("yiyun.notifications.urls")),
    path("ops/", include("yiyun.scheduling.urls")),
    path("triage/", include("yiyun.triage.urls")),
    path("", include("yiyun.queue.urls")),
    path("", include("yiyun.booking.urls")),
    path("me/payments/", include("yiyun.payments.urls")),
    path("sandbox-pay/", include("yiyun.payments.sandbox.urls")),
    path("", include("yiyun.catalog.urls")),
    path("", include("yiyun.web.urls")),
]
