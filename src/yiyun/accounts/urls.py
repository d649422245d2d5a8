from django.urls import path

from yiyun.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_page, name="login"),
    path("login/sms-code/", views.send_sms_code, name="sms_code"),
    path("logout/", views.logout_view, name="logout"),
]
