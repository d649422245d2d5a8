from django.urls import path

from yiyun.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.mine, name="mine"),
    path("prefs/elder/", views.set_elder_mode, name="elder"),
]
