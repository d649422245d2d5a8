from django.urls import path

from yiyun.catalog import views

app_name = "catalog"
urlpatterns = [
    path("hospitals/", views.hospital_list, name="hospitals"),
    path("hospitals/<str:hospital_id>/", views.hospital_detail, name="hospital"),
    path("departments/<str:department_id>/", views.department_detail, name="department"),
    path("doctors/", views.doctor_search, name="doctors"),
    path("doctors/<str:doctor_id>/", views.doctor_detail, name="doctor"),
]
