from django.urls import path

from yiyun.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox_page, name="inbox"),
    path("read-all/", views.read_all, name="read_all"),
]
