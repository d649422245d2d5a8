import datetime as dt

import pytest

from tests.conftest import login_client
from tests.factories import make_patient, make_user, valid_id_number
from yiyun.audit.models import AccessLog
from yiyun.patients.models import Patient

pytestmark = pytest.mark.django_db


def test_pages_show_only_masked_numbers():
    account = make_user()
    number = valid_id_number(dt.date(1960, 2, 3), "F")
    patient = make_patient(account, name="李秀英", sex="F", birth=dt.date(1960, 2, 3), id_number=number,
                           relationship="parent", phone="13955556666")
    client = login_client(account)
    for url in ("/me/patients/", f"/me/patients/{patient.external_id}/edit/"):
        html = client.get(url).content.decode()
        assert number not in html and "13955556666" not in html
        assert number[:6] + "********" + number[-4:] in html
        assert "139****6666" in html


def test_add_form_adds_a_family_member_with_field_errors_in_place():
    client = login_client(make_user())
    birth = dt.date(2019, 3, 4)
    number = valid_id_number(birth, "M")
    bad = client.post("/me/patients/new/", {"relationship": "child", "name": "王小宝", "id_number": number,
                                            "sex": "F", "birth_date": birth.isoformat()})
    assert bad.status_code == 200 and "性别与身份证号不一致" in bad.content.decode()
    ok = client.post("/me/patients/new/", {"relationship": "child", "name": "王小宝", "id_number": number,
                                           "sex": "M", "birth_date": birth.isoformat()})
    assert ok.status_code == 302 and Patient.objects.filter(name="王小宝").exists()


def test_another_accounts_record_is_404_on_pages_and_logged():
    owner, intruder = make_user(), make_user()
    patient = make_patient(owner)
    client = login_client(intruder)
    edit = client.get(f"/me/patients/{patient.external_id}/edit/")
    remove = client.post(f"/me/patients/{patient.external_id}/remove/")
    assert edit.status_code == 404 and remove.status_code == 404
    rows = AccessLog.objects.filter(patient=patient, actor=intruder, outcome="denied", channel="page")
    assert sorted(rows.values_list("action", flat=True)) == ["delete", "view"]
    patient.refresh_from_db()
    assert patient.removed_at is None


def test_pages_need_login():
    response = login_client(make_user()).get("/me/patients/")
    assert response.status_code == 200
    from django.test import Client

    anonymous = Client().get("/me/patients/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
