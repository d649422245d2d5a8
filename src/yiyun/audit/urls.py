from django.urls import path

from yiyun.audit import views

app_name = "audit"
urlpatterns = [path("", views.my_access_log, name="mine")]
