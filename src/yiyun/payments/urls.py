from django.urls import path

from yiyun.payments import views

app_name = "payments"
urlpatterns = [
    path("", views.payment_list, name="list"),
    path("<str:payment_id>/", views.payment_detail, name="detail"),
    path("<str:payment_id>/checkout/", views.payment_checkout, name="checkout"),
]
