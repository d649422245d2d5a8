"""The triage API, turn by turn, anonymous and for a chosen 就诊人, mapped onto a hospital's clinics."""

import datetime as dt

import pytest
from django.test import Client

from tests.conftest import login_client
from tests.factories import make_department, make_doctor, make_hospital, make_patient, make_session, make_user
from yiyun.audit.models import AccessLog
from yiyun.catalog.models import Doctor
from yiyun.triage.models import TriageSession

pytestmark = pytest.mark.django_db
URL = "/api/v1/triage/sessions"


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_anonymous_flow_asks_then_finishes_within_five_questions():
    client = Client()
    response = post(client, URL, {"message": "孩子发烧三天，咳嗽有痰", "age": 4, "sex": "M"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["departments"] and body["departments"][0]["standard_code"].startswith("07")
    assert body["ai_label"] == "由AI生成，仅供参考"
    asked = 0
    while body["status"] == "asking":
        question = body["question"]
        assert [o["value"] for o in question["options"]] == ["yes", "no", "unsure"]
        assert body["departments"]  # always present, ranked, even while asking
        body = post(client, f"{URL}/{body['id']}/answers", {"question_id": question["id"], "answer": "no"}).json()
        asked += 1
    assert asked <= 5 and body["status"] == "done"
    assert client.get(f"{URL}/{body['id']}").json()["status"] == "done"
    assert all(c["label"] == "可能相关" for c in body["conditions"])


def test_red_flag_gives_emergency_without_consultation_and_is_never_lowered():
    client = Client()
    body = post(client, URL, {"message": "胸口压着疼，出冷汗，左胳膊也疼，已经半小时了", "age": 58, "sex": "M"}).json()
    assert body["care_level"] == "EMERGENCY_NOW" and body["red_flags"]
    assert "120" in body["emergency_message"] and body["online_consultation"] is False and body["doctors"] == []
    later = post(client, f"{URL}/{body['id']}/messages", {"message": "现在好像好点了，应该没事吧"}).json()
    assert later["care_level"] == "EMERGENCY_NOW"


def test_departments_map_onto_the_hospitals_clinics_and_doctors_with_free_slots():
    hospital = make_hospital()
    dermatology = make_department(hospital, name="皮肤科", code="13")
    other = make_doctor(hospital, dermatology, name="皮医甲", specialty="擅长银屑病。")
    expert = make_doctor(hospital, dermatology, name="皮医乙", title=Doctor.Title.CHIEF,
                         specialty="擅长湿疹、荨麻疹、皮炎的诊治。")
    make_session(expert, department=dermatology)
    body = post(Client(), URL, {"message": "身上起了很多红疹子，特别痒，抓了还会起风团", "age": 30, "sex": "F",
                                "hospital_id": str(hospital.external_id)}).json()
    first = body["departments"][0]
    assert first["standard_code"].startswith("13")
    assert first["hospital_department_id"] == str(dermatology.external_id)
    names = [d["name"] for d in body["doctors"]]
    assert names[0] == "皮医乙" and "皮医甲" in names
    assert body["doctors"][0]["earliest_slot"] is not None and other.name in names


def test_for_a_chosen_patient_the_age_and_sex_come_from_the_record_and_reads_are_logged():
    account = make_user()
    child = make_patient(account, name="王小宝", sex="F", birth=dt.date(2021, 3, 1), relationship="child")
    client = login_client(account)
    body = post(client, URL, {"message": "发烧38度5，咳嗽", "patient_id": str(child.external_id)}).json()
    assert body["evidence"]["patient"]["age_years"] in (4, 5)
    assert body["departments"][0]["standard_code"].startswith("07")
    session = TriageSession.objects.get(external_id=body["id"])
    assert session.account == account and session.patient == child
    assert Client().get(f"{URL}/{body['id']}").status_code == 404  # not the owner
    intruder = login_client(make_user())
    assert intruder.get(f"{URL}/{body['id']}").status_code == 404
    assert AccessLog.objects.filter(patient=child, record_type="triage", outcome="denied").exists()
    assert client.get(f"{URL}/{body['id']}").status_code == 200


def test_someone_elses_patient_cannot_be_used():
    owner = make_user()
    patient = make_patient(owner)
    response = post(login_client(make_user()), URL, {"message": "头疼", "patient_id": str(patient.external_id)})
    assert response.status_code == 404


def test_bad_input_gets_the_envelope():
    client = Client()
    assert post(client, URL, {"message": ""}).json()["code"] == "message_required"
    assert post(client, URL, {"message": "头疼", "age": 300}).json()["fields"] == {"age": "年龄应在0到120岁之间"}
    body = post(client, URL, {"message": "头疼两天了", "age": 30, "sex": "M"}).json()
    if body["status"] == "asking":
        bad = post(client, f"{URL}/{body['id']}/answers", {"question_id": "不存在的问题", "answer": "yes"})
        assert bad.status_code == 422 and bad.json()["code"] == "answer_invalid"
    assert client.get(f"{URL}/not-a-session").status_code == 404
    wrong_token = Client(HTTP_AUTHORIZATION="Bearer nope")
    assert post(wrong_token, URL, {"message": "头疼"}).status_code == 401


def test_intent_is_reported_for_non_symptom_questions():
    body = post(Client(), URL, {"message": "做个胃镜大概多少钱"}).json()
    assert body["intent"]["intent"] == "price"
