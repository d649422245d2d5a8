from django.urls import path

from yiyun.triage import views

app_name = "triage"
urlpatterns = [
    path("", views.start_page, name="start"),
    path("<str:session_id>/", views.session_page, name="session"),
    path("<str:session_id>/answer/", views.answer_view, name="answer"),
    path("<str:session_id>/message/", views.message_view, name="message"),
]
