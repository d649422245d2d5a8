import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from yiyun.booking.models import Booking, Ticket
from yiyun.catalog.models import Department, Doctor, Hospital, Nurse, Pharmacist
from yiyun.demo.catalog_data import D
from yiyun.demo.seed import seed_demo
from yiyun.patients.models import Patient
from yiyun.queue.models import QueueEntry
from yiyun.scheduling.models import ScheduleTemplate, Session

pytestmark = pytest.mark.django_db


def _snapshot():
    return {
        "hospitals": sorted(Hospital.objects.values_list("code", "name", "tier")),
        "departments": sorted(Department.objects.values_list("hospital__code", "name", "standard__code")),
        "doctors": sorted(Doctor.objects.values_list("licence_number", "name", "title", "specialty", "external_id")),
        "pharmacists": Pharmacist.objects.count(), "nurses": Nurse.objects.count(),
        "patients": sorted(Patient.objects.values_list("account__display_name", "name", "relationship", "external_id")),
        "sessions": sorted(Session.objects.values_list("doctor__licence_number", "date", "period", "external_id")),
        "tickets": Ticket.objects.count(),
    }


def _doctors():
    return list(Doctor.objects.order_by("licence_number").values_list("licence_number", "name", "title", "specialty"))


def _check_brief():
    assert set(Hospital.objects.values_list("tier", flat=True)) >= {"3A", "2", "C"}
    assert Department.objects.count() >= 25 and Doctor.objects.count() >= 80
    assert Pharmacist.objects.exists() and Nurse.objects.exists()
    assert set(Patient.objects.values_list("relationship", flat=True)) >= {"self", "child", "parent", "spouse"}
    for doctor in Doctor.objects.prefetch_related("departments"):
        department = doctor.departments.get()
        assert any(topic in doctor.specialty for topic in D[department.name][1]), (doctor.name, department.name)
        assert doctor.name_pinyin and doctor.name_initials
    assert Session.objects.filter(doctor__name="张伟", doctor__user__isnull=False).count() >= 14
    assert Ticket.objects.exists()
    assert QueueEntry.objects.filter(session__doctor__name="张伟", session__date=timezone.localdate()).count() == 6


def test_seed_meets_the_brief_is_idempotent_and_deterministic():
    call_command("seed_demo", stdout=io.StringIO())
    _check_brief()
    first = _snapshot()
    seed_demo()
    assert _snapshot() == first  # idempotent: same rows, same public ids
    doctors = _doctors()
    QueueEntry.objects.all().delete()  # the demo queue's bookings hold their sessions (PROTECT)
    Booking.objects.all().delete()
    Ticket.objects.all().delete()
    Session.objects.all().delete()
    ScheduleTemplate.objects.all().delete()
    Doctor.objects.all().delete()
    Pharmacist.objects.all().delete()
    Nurse.objects.all().delete()
    seed_demo()
    assert _doctors() == doctors  # deterministic: a fresh database gets the same doctors
