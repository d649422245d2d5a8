"""Writes to the catalogue. Doctors' search keys (pinyin, initials) are computed here, in one place."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from yiyun.catalog.models import Department, Doctor
from yiyun.catalog.pinyin import name_keys


def refresh_doctor_search_keys(doctor: Doctor) -> None:
    full, initials = name_keys(doctor.name)
    doctor.name_pinyin = full
    doctor.name_initials = initials
    doctor.search_text = f"{full} {initials}"


@transaction.atomic
def save_doctor(*, doctor: Doctor, departments: Iterable[Department] | None = None) -> Doctor:
    refresh_doctor_search_keys(doctor)
    doctor.save()
    if departments is not None:
        departments = list(departments)
        if any(d.hospital_id != doctor.hospital_id for d in departments):
            raise ValueError("a doctor's departments must belong to the doctor's hospital")
        doctor.departments.set(departments)
    return doctor
