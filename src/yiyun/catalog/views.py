"""Browsing pages: hospital → department → doctor, and doctor search (HTMX updates results as you type)."""

from __future__ import annotations

from itertools import groupby

from django.core.paginator import Paginator
from django.shortcuts import render

from yiyun.catalog import selectors


def hospital_list(request):
    return render(request, "catalog/hospitals.html", {"hospitals": selectors.list_hospitals(), "nav": "hospitals"})


def hospital_detail(request, hospital_id):
    hospital = selectors.get_hospital(external_id=hospital_id)
    departments = sorted(selectors.list_departments(hospital=hospital),
                         key=lambda d: ((d.standard.parent or d.standard).code, d.sort_order, d.standard.code))
    groups = [(parent, list(items)) for parent, items in
              groupby(departments, key=lambda d: d.standard.parent or d.standard)]
    return render(request, "catalog/hospital.html", {"hospital": hospital, "groups": groups, "nav": "hospitals"})


def department_detail(request, department_id):
    department = selectors.get_department(external_id=department_id)
    doctors = selectors.search_doctors(department=department)
    return render(request, "catalog/department.html",
                  {"department": department, "doctors": doctors, "nav": "hospitals"})


def doctor_search(request):
    q = request.GET.get("q", "").strip()
    page = Paginator(selectors.search_doctors(q=q), 20).get_page(request.GET.get("page"))
    context = {"q": q, "page": page, "nav": "doctors"}
    if request.headers.get("HX-Request"):
        return render(request, "catalog/_doctor_results.html", context)
    return render(request, "catalog/doctors.html", context)


def doctor_detail(request, doctor_id):
    doctor = selectors.get_doctor(external_id=doctor_id)
    return render(request, "catalog/doctor.html", {"doctor": doctor, "nav": "doctors"})
