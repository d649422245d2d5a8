import pytest
from django.test import Client

from tests.conftest import login_client
from tests.factories import make_department, make_hospital, make_patient, make_user
from yiyun.triage.models import TriageSession

pytestmark = pytest.mark.django_db


def test_start_answer_and_result_on_the_page():
    hospital = make_hospital()
    make_department(hospital, name="消化内科", code="03.02")
    client = Client()
    response = client.post("/triage/", {"message": "拉肚子两天了，一天五六次，肚子疼", "age": "35", "sex": "F",
                                        "hospital_id": str(hospital.external_id)})
    session = TriageSession.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/triage/{session.external_id}/"
    html = client.get(response["Location"]).content.decode()
    assert "拉肚子两天了" in html and "由AI生成，仅供参考" in html and "推荐科室" in html
    for _ in range(6):
        session.refresh_from_db()
        result = client.get(f"/triage/{session.external_id}/", HTTP_HX_REQUEST="true").content.decode()
        if 'data-testid="chips"' not in result:
            break
        question = session.state["pending_question"]
        fragment = client.post(f"/triage/{session.external_id}/answer/", {"question_id": question, "answer": "no"},
                               HTTP_HX_REQUEST="true").content.decode()
        assert "<html" not in fragment and "否" in fragment
    session.refresh_from_db()
    assert session.status == "done"
    html = client.get(f"/triage/{session.external_id}/").content.decode()
    assert "消化内科" in html and "挂号" in html and "可能相关" in html


def test_emergency_card_and_no_consultation():
    client = Client()
    client.post("/triage/", {"message": "我爸突然说话不清楚，一边手脚没力气，嘴歪了", "age": "70", "sex": "M"})
    html = client.get(f"/triage/{TriageSession.objects.get().external_id}/").content.decode()
    assert 'data-testid="emergency"' in html and "tel:120" in html and 'data-testid="consult"' not in html


def test_logged_in_user_picks_a_patient_and_others_get_404():
    account = make_user()
    make_patient(account, name="周小雨")
    client = login_client(account)
    assert "周小雨" in client.get("/triage/").content.decode()
    patient = account.patients.get()
    client.post("/triage/", {"message": "头疼", "patient_id": str(patient.external_id)})
    session = TriageSession.objects.get()
    assert session.patient == patient
    assert login_client(make_user()).get(f"/triage/{session.external_id}/").status_code == 404


def test_empty_message_shows_the_error_on_the_page():
    html = Client().post("/triage/", {"message": " "}).content.decode()
    assert "请描述哪里不舒服" in html and TriageSession.objects.count() == 0


def test_the_english_interface_shows_the_questions_answers_and_flags_in_english():
    client = Client()
    client.cookies["django_language"] = "en"
    client.post("/triage/", {"message": "I have had a cough for three days", "age": "35", "sex": "F"})
    session = TriageSession.objects.get()
    html = client.get(f"/triage/{session.external_id}/").content.decode()
    assert session.status == "asking" and session.transcript[-1]["text_en"] and session.transcript[-1]["text_en"] in html
    assert ">Yes<" in html and ">No<" in html and ">Not sure<" in html and "AI-generated, for reference only" in html
    client.post(f"/triage/{session.external_id}/answer/", {"question_id": session.state["pending_question"], "answer": "no"})
    html = client.get(f"/triage/{session.external_id}/").content.decode()
    assert 'class="bubble patient">No</div>' in html  # the patient's answer, as the chip said it
    client.post("/triage/", {"message": "chest pain and cold sweat since this morning", "age": "60", "sex": "M"})
    emergency = TriageSession.objects.exclude(pk=session.pk).get()
    html = client.get(f"/triage/{emergency.external_id}/").content.decode()
    assert "Chest pain that may be a heart attack" in html and "Call 120 or go to the nearest emergency department now" in html


def test_the_chinese_interface_keeps_the_engine_s_chinese():
    client = Client()
    client.post("/triage/", {"message": "咳嗽三天了", "age": "35", "sex": "F"})
    html = client.get(f"/triage/{TriageSession.objects.get().external_id}/").content.decode()
    assert ">是<" in html and ">不确定<" in html and "由AI生成，仅供参考" in html
