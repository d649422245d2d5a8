import pytest

from tests.conftest import login_client
from tests.factories import (
    make_department,
    make_doctor,
    make_hospital,
    make_operator,
    make_patient,
    make_user,
)
from yiyun.audit.models import AccessLog
from yiyun.audit.services import AccessContext, record_access

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_hospitals():
    mine, theirs = make_hospital(name="本院"), make_hospital(name="他院")
    my_dept = make_department(mine, name="本院心内科")
    their_dept = make_department(theirs, name="他院心内科")
    return {
        "mine": mine, "theirs": theirs, "my_dept": my_dept, "their_dept": their_dept,
        "my_doctor": make_doctor(mine, my_dept, name="本院医生"),
        "their_doctor": make_doctor(theirs, their_dept, name="他院医生"),
    }


CHANGELISTS = ["hospital", "campus", "department", "doctor", "pharmacist", "nurse", "standarddepartment"]


def test_every_catalogue_admin_page_loads_for_an_operator(two_hospitals):
    client = login_client(make_operator(two_hospitals["mine"]))
    assert client.get("/admin/").status_code == 200
    for model in CHANGELISTS:
        assert client.get(f"/admin/catalog/{model}/").status_code == 200, model
    assert client.get("/admin/catalog/doctor/add/").status_code == 200
    assert client.get("/admin/audit/accesslog/").status_code == 200


def test_operator_sees_only_their_hospital(two_hospitals):
    client = login_client(make_operator(two_hospitals["mine"]))
    doctors = client.get("/admin/catalog/doctor/").content.decode()
    assert "本院医生" in doctors and "他院医生" not in doctors
    hospitals = client.get("/admin/catalog/hospital/").content.decode()
    assert "本院" in hospitals and "他院" not in hospitals
    departments = client.get("/admin/catalog/department/").content.decode()
    assert "本院心内科" in departments and "他院心内科" not in departments
    other = two_hospitals["their_doctor"]
    assert client.get(f"/admin/catalog/doctor/{other.pk}/change/").status_code in (302, 404)
    form = client.get("/admin/catalog/doctor/add/").content.decode()
    assert "本院心内科" in form and "他院心内科" not in form


def test_operator_cannot_save_into_another_hospital(two_hospitals):
    client = login_client(make_operator(two_hospitals["mine"]))
    response = client.post("/admin/catalog/department/add/", {
        "hospital": two_hospitals["theirs"].pk, "standard": two_hospitals["my_dept"].standard_id,
        "name": "偷加科室", "sort_order": 1, "is_active": "on"})
    assert response.status_code == 200  # the form refuses the hospital choice
    assert not two_hospitals["theirs"].departments.filter(name="偷加科室").exists()


def test_operator_adds_a_doctor_and_search_keys_are_computed(two_hospitals):
    client = login_client(make_operator(two_hospitals["mine"]))
    response = client.post("/admin/catalog/doctor/add/", {
        "hospital": two_hospitals["mine"].pk, "name": "欧阳娜娜", "sex": "F", "licence_number": "110000000000999",
        "years_of_practice": 8, "title": "attending", "departments": [two_hospitals["my_dept"].pk],
        "specialty": "擅长心衰。", "rating": "4.80", "rating_count": 0, "is_active": "on",
        "created_at_0": "2026-01-01", "created_at_1": "08:00:00"})
    assert response.status_code == 302, response.content.decode()[:2000]
    from yiyun.catalog.models import Doctor

    doctor = Doctor.objects.get(licence_number="110000000000999")
    assert (doctor.name_pinyin, doctor.name_initials) == ("ouyangnana", "oynn")


def test_access_log_in_admin_is_scoped_and_read_only(two_hospitals):
    operator = make_operator(two_hospitals["mine"])
    patient = make_patient(make_user())
    record_access(AccessContext(actor=make_user(role="doctor", display_name="本院大夫"),
                                hospital_id=two_hospitals["mine"].pk), patient=patient, action="view")
    record_access(AccessContext(actor=make_user(role="doctor", display_name="他院大夫"),
                                hospital_id=two_hospitals["theirs"].pk), patient=patient, action="view")
    client = login_client(operator)
    page = client.get("/admin/audit/accesslog/?q=大夫").content.decode()
    assert "本院大夫" in page and "他院大夫" not in page
    row = AccessLog.objects.get(actor_label="本院大夫")
    assert client.post(f"/admin/audit/accesslog/{row.pk}/delete/", {"post": "yes"}).status_code == 403


def test_patients_and_other_users_cannot_enter_the_back_office(two_hospitals):
    patient_user = make_user()
    assert login_client(patient_user).get("/admin/catalog/doctor/").status_code == 302
    operator = login_client(make_operator(two_hospitals["mine"]))
    assert operator.get("/admin/accounts/user/").status_code == 403


def test_platform_admin_sees_all_hospitals(two_hospitals):
    admin = make_user(role="platform_admin")
    admin.is_superuser = True
    admin.save()
    page = login_client(admin).get("/admin/catalog/doctor/").content.decode()
    assert "本院医生" in page and "他院医生" in page
