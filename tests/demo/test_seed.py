import io

import pytest
from django.core.management import call_command

from yiyun.catalog.models import Department, Doctor, Hospital, Nurse, Pharmacist
from yiyun.demo.catalog_data import D
from yiyun.demo.seed import seed_demo
from yiyun.patients.models import Patient

pytestmark = pytest.mark.django_db


def _snapshot():
    return {
        "hospitals": sorted(Hospital.objects.values_list("code", "name", "tier")),
        "departments": sorted(Department.objects.values_list("hospital__code", "name", "standard__code")),
        "doctors": sorted(Doctor.objects.values_list("licence_number", "name", "title", "specialty", "external_id")),
        "pharmacists": Pharmacist.objects.count(), "nurses": Nurse.objects.count(),
        "patients": sorted(Patient.objects.values_list("account__display_name", "name", "relationship", "external_id")),
    }


def test_seed_is_idempotent():
    seed_demo()
    first = _snapshot()
    seed_demo()
    assert _snapshot() == first


def test_seed_meets_the_demo_brief():
    call_command("seed_demo", stdout=io.StringIO())
    assert set(Hospital.objects.values_list("tier", flat=True)) >= {"3A", "2", "C"}
    assert Department.objects.count() >= 25 and Doctor.objects.count() >= 80
    assert Pharmacist.objects.exists() and Nurse.objects.exists()
    assert set(Patient.objects.values_list("relationship", flat=True)) >= {"self", "child", "parent", "spouse"}
    for doctor in Doctor.objects.prefetch_related("departments"):
        department = doctor.departments.get()
        topics = D[department.name][1]
        assert any(topic in doctor.specialty for topic in topics), (doctor.name, department.name)
        assert doctor.name_pinyin and doctor.name_initials


def test_seed_is_deterministic_on_a_fresh_database():
    seed_demo()
    first = list(Doctor.objects.order_by("licence_number").values_list("licence_number", "name", "title", "specialty"))
    Doctor.objects.all().delete()
    Pharmacist.objects.all().delete()
    Nurse.objects.all().delete()
    seed_demo()
    again = list(Doctor.objects.order_by("licence_number").values_list("licence_number", "name", "title", "specialty"))
    assert again == first
    assert Doctor.objects.filter(name="张伟", departments__name="心血管内科", user__isnull=False).exists()
