from django.urls import path

from yiyun.scheduling import views

app_name = "scheduling"
urlpatterns = [
    path("sessions/", views.sessions_page, name="sessions"),
    path("sessions/new/", views.add_session_page, name="add_session"),
    path("sessions/<str:session_id>/stop/", views.stop_page, name="stop"),
    path("sessions/<str:session_id>/substitute/", views.substitute_page, name="substitute"),
    path("rules/<str:hospital_id>/", views.rules_page, name="rules"),
    path("doctors/<str:doctor_id>/leave/", views.leave_page, name="leave"),
    path("templates/", views.templates_page, name="templates"),
    path("templates/new/", views.new_template_page, name="new_template"),
    path("templates/<str:template_id>/retire/", views.retire_template_page, name="retire_template"),
    path("generate/", views.generate_page, name="generate"),
]
