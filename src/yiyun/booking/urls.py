from django.urls import path

from yiyun.booking import views

app_name = "booking"
urlpatterns = [
    path("book/departments/<str:department_id>/", views.department_schedule, name="department"),
    path("book/doctors/<str:doctor_id>/", views.doctor_schedule, name="doctor"),
    path("book/windows/<str:window_id>/", views.book_window, name="window"),
    path("me/bookings/", views.my_bookings, name="mine"),
    path("me/bookings/<str:booking_id>/", views.booking_detail, name="detail"),
    path("me/bookings/<str:booking_id>/cancel/", views.cancel_booking, name="cancel"),
    path("me/bookings/<str:booking_id>/pay/", views.pay_booking, name="pay"),
    path("me/waitlist/<str:entry_id>/leave/", views.leave_waitlist, name="leave_waitlist"),
]
