from django.urls import path

from yiyun.payments.sandbox import views

app_name = "sandboxpay"
urlpatterns = [
    path("scan/", views.scan, name="scan"),
    path("<str:trade_no>/", views.cashier, name="cashier"),
    path("<str:trade_no>/pay/", views.pay, name="pay"),
    path("<str:trade_no>/cancel/", views.cancel, name="cancel"),
]
