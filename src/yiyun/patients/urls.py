from django.urls import path

from yiyun.patients import views

app_name = "patients"
urlpatterns = [
    path("", views.patient_list, name="list"),
    path("new/", views.patient_add, name="add"),
    path("<str:patient_id>/edit/", views.patient_edit, name="edit"),
    path("<str:patient_id>/remove/", views.patient_remove, name="remove"),
]
