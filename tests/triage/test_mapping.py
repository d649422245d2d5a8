import pytest

from tests.factories import make_department, make_hospital
from yiyun.catalog.models import Hospital
from yiyun.triage.selectors import map_departments

pytestmark = pytest.mark.django_db


def rec(*codes):
    return [{"standard_code": c, "name": c, "score": round(1 / (i + 1), 3)} for i, c in enumerate(codes)]


def test_sub_specialties_land_on_the_hospitals_general_clinic_once():
    hospital = make_hospital()
    paediatrics = make_department(hospital, name="儿科", code="07")
    mapped = map_departments(rec("07.04", "07.02", "07.09"), hospital)
    assert len(mapped) == 1 and mapped[0]["hospital_department_id"] == str(paediatrics.external_id)
    assert mapped[0]["score"] == pytest.approx(1 + 0.5 + 0.333)


def test_exact_then_child_then_parent_then_substitute():
    hospital = make_hospital()
    cardio = make_department(hospital, name="心血管内科", code="03.04")
    surgery = make_department(hospital, name="普通外科", code="04.01")
    mapped = map_departments(rec("03.04", "50.11", "03"), hospital)
    # 03.04 exact; 肛肠科 → general surgery when there is none; 内科 (03) → its only sub-clinic, merged.
    assert [m["hospital_department_id"] for m in mapped] == [str(cardio.external_id), str(surgery.external_id)]
    ortho = map_departments(rec("04"), hospital)
    assert ortho[0]["hospital_department_name"] == "普通外科"  # a child clinic of 04


def test_community_centre_falls_back_to_general_practice():
    centre = make_hospital(tier=Hospital.Tier.COMMUNITY)
    gp = make_department(centre, name="全科医学科", code="02")
    mapped = map_departments(rec("13"), centre)
    assert mapped[0]["hospital_department_id"] == str(gp.external_id)


def test_without_a_hospital_nothing_is_mapped():
    mapped = map_departments(rec("03.01", "07"), None)
    assert [m["hospital_department_id"] for m in mapped] == [None, None]
