"""The queue's WebSocket routes (mounted by yiyun.config.routing)."""

from django.urls import path

from yiyun.queue import consumers

websocket_urlpatterns = [
    path("ws/queue/departments/<str:department_id>/", consumers.DepartmentScreenConsumer.as_asgi()),
    path("ws/queue/sessions/<str:session_id>/", consumers.DoctorSessionConsumer.as_asgi()),
    path("ws/queue/bookings/<str:booking_id>/", consumers.PatientBookingConsumer.as_asgi()),
]
