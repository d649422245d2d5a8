from django.urls import path

from yiyun.queue import views

app_name = "queue"
urlpatterns = [
    path("doctor/queue/", views.doctor_home, name="doctor_home"),
    path("doctor/timetable/", views.doctor_timetable, name="doctor_timetable"),
    path("doctor/queue/<str:session_id>/", views.doctor_session, name="doctor_session"),
    path("doctor/queue/<str:session_id>/panel/", views.doctor_panel, name="doctor_panel"),
    path("doctor/queue/<str:session_id>/call-next/", views.doctor_call_next, name="doctor_call_next"),
    path("doctor/queue-entries/<str:entry_id>/<str:action>/", views.doctor_entry_action, name="doctor_entry_action"),
    path("me/bookings/<str:booking_id>/queue/", views.patient_queue, name="patient"),
    path("me/bookings/<str:booking_id>/queue/panel/", views.patient_panel, name="patient_panel"),
    path("me/bookings/<str:booking_id>/queue/check-in/", views.patient_check_in, name="patient_check_in"),
    path("screens/departments/<str:department_id>/", views.screen, name="screen"),
    path("screens/departments/<str:department_id>/board/", views.screen_board, name="screen_board"),
]
