import datetime as dt

import pytest

from tests.conftest import login_client
from tests.factories import make_patient, make_user, valid_id_number
from yiyun.audit.models import AccessLog
from yiyun.patients.models import Patient

pytestmark = pytest.mark.django_db
URL = "/api/v1/patients"


def _payload(**overrides):
    birth = overrides.pop("birth", dt.date(2015, 7, 9))
    sex = overrides.pop("sex_for_id", "F")
    data = {"name": "王乐乐", "sex": sex, "birth_date": birth.isoformat(), "id_number": valid_id_number(birth, sex),
            "relationship": "child", "phone": "13912345678", "allergies": "青霉素"}
    data.update(overrides)
    return data


def test_add_list_get_edit_remove_own_patient():
    client = login_client(make_user())
    created = client.post(URL, _payload(), content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    patient_id = body["id"]
    assert body["relationship_label"] == "子女" and body["is_default"] is True and body["verified"] is True
    assert [p["id"] for p in client.get(URL).json()] == [patient_id]
    assert client.get(f"{URL}/{patient_id}").json()["allergies"] == "青霉素"
    edited = client.patch(f"{URL}/{patient_id}", {"allergies": "青霉素、头孢"}, content_type="application/json")
    assert edited.status_code == 200 and edited.json()["allergies"] == "青霉素、头孢"
    assert client.delete(f"{URL}/{patient_id}").status_code == 204
    assert client.get(URL).json() == []
    assert client.get(f"{URL}/{patient_id}").status_code == 404
    assert Patient.objects.get(external_id=patient_id).removed_at is not None  # kept, not erased


def test_id_and_phone_are_masked_in_every_answer():
    client = login_client(make_user())
    payload = _payload()
    responses = [client.post(URL, payload, content_type="application/json")]
    patient_id = responses[0].json()["id"]
    responses += [client.get(URL), client.get(f"{URL}/{patient_id}"),
                  client.patch(f"{URL}/{patient_id}", {"allergies": ""}, content_type="application/json")]
    for response in responses:
        text = response.content.decode()
        assert payload["id_number"] not in text and "13912345678" not in text
    body = responses[1].json()[0]
    assert body["id_number"] == payload["id_number"][:6] + "********" + payload["id_number"][-4:]
    assert body["phone"] == "139****5678"


def test_another_accounts_patient_is_404_and_the_attempt_is_logged():
    owner, intruder = make_user(), make_user()
    patient = make_patient(owner, name="李梅")
    client = login_client(intruder)
    url = f"{URL}/{patient.external_id}"
    for response in (client.get(url), client.patch(url, {"allergies": "x"}, content_type="application/json"),
                     client.delete(url)):
        assert response.status_code == 404
        assert response.json()["code"] == "patient_not_found"
    denied = AccessLog.objects.filter(patient=patient, actor=intruder, outcome="denied")
    assert sorted(denied.values_list("action", flat=True)) == ["delete", "update", "view"]
    assert all(row.channel == "api" for row in denied)
    patient.refresh_from_db()
    assert patient.allergies == "" and patient.removed_at is None


def test_unknown_and_malformed_ids_are_404_without_a_log_row():
    client = login_client(make_user())
    before = AccessLog.objects.count()
    assert client.get(f"{URL}/not-a-uuid").status_code == 404
    assert client.get(f"{URL}/00000000-0000-4000-8000-000000000000").status_code == 404
    assert AccessLog.objects.count() == before


def test_birth_date_or_sex_disagreeing_with_the_id_is_refused():
    client = login_client(make_user())
    response = client.post(URL, _payload(birth_date="2015-07-10"), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "birth_date_mismatch" and "birth_date" in response.json()["fields"]
    response = client.post(URL, _payload(sex="M"), content_type="application/json")
    assert response.json()["code"] == "sex_mismatch"
    bad = _payload()
    bad["id_number"] = bad["id_number"][:17] + ("0" if bad["id_number"][17] != "0" else "1")
    response = client.post(URL, bad, content_type="application/json")
    assert response.json()["code"] == "id_number_checksum" and "id_number" in response.json()["fields"]
    assert Patient.objects.count() == 0


def test_repeating_an_add_is_idempotent_and_a_clash_is_409():
    client = login_client(make_user())
    payload = _payload()
    first = client.post(URL, payload, content_type="application/json")
    again = client.post(URL, payload, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    clash = client.post(URL, {**payload, "name": "别人"}, content_type="application/json")
    assert clash.status_code == 409 and clash.json()["code"] == "patient_exists"
    assert Patient.objects.count() == 1


def test_the_same_person_may_be_a_patient_of_two_accounts():
    payload = _payload()
    for account in (make_user(), make_user()):
        assert login_client(account).post(URL, payload, content_type="application/json").status_code == 201


def test_real_name_fields_cannot_be_edited():
    client = login_client(make_user())
    patient_id = client.post(URL, _payload(), content_type="application/json").json()["id"]
    response = client.patch(f"{URL}/{patient_id}", {"name": "改名"}, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "real_name_fixed"
    assert "name" in response.json()["fields"]


def test_only_one_self_and_family_ages_make_sense():
    account = make_user()
    client = login_client(account)
    own = _payload(name="王大明", relationship="self", birth=dt.date(1985, 1, 1), sex_for_id="M")
    assert client.post(URL, own, content_type="application/json").status_code == 201
    second_self = _payload(name="王二明", relationship="self", birth=dt.date(1986, 1, 1), sex_for_id="M")
    response = client.post(URL, second_self, content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "self_exists"
    young_parent = _payload(name="王父", relationship="parent", birth=dt.date(1990, 1, 1), sex_for_id="M")
    response = client.post(URL, young_parent, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "relationship_age"


def test_every_read_and_change_is_in_the_access_log():
    account = make_user()
    client = login_client(account)
    patient_id = client.post(URL, _payload(), content_type="application/json").json()["id"]
    client.get(URL)
    client.get(f"{URL}/{patient_id}")
    client.patch(f"{URL}/{patient_id}", {"allergies": ""}, content_type="application/json")
    client.delete(f"{URL}/{patient_id}")
    rows = AccessLog.objects.filter(patient__external_id=patient_id).order_by("id")
    assert [r.action for r in rows] == ["create", "list", "view", "update", "delete"]
    assert {(r.actor_id, r.actor_role, r.outcome, r.channel) for r in rows} == {(account.pk, "patient", "allowed", "api")}
    assert all(r.ip == "127.0.0.1" and r.at is not None for r in rows)
