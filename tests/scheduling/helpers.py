"""Builders for the operator-page tests: a fixed moment after today's 07:00 release, and a hospital with one
doctor in one department, its visit types and a 7-day / 07:00 release rule."""

import datetime as dt

from django.utils import timezone

from tests.factories import make_department, make_doctor, make_hospital
from yiyun.scheduling import services
from yiyun.scheduling.models import BookingPolicy
from yiyun.scheduling.services import SHANGHAI

NOW = dt.datetime.combine(timezone.localdate(), dt.time(9, 0), tzinfo=SHANGHAI)  # after today's release


def make_clinic(*, department="心血管内科", code="03.04", doctor="张伟") -> dict:
    hospital = make_hospital(name="甲院")
    department = make_department(hospital, name=department, code=code)
    BookingPolicy.objects.create(hospital=hospital, horizon_days=7, release_time=dt.time(7, 0))
    return {"hospital": hospital, "department": department, "doctor": make_doctor(hospital, department, name=doctor),
            "types": services.ensure_visit_types(hospital)}
