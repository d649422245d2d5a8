"""临时加诊: an operator adds one session outside the weekly templates; it is checked as a template is, its numbers
open by the release rule, and a refusal lands on the form with nothing created."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import login_client
from tests.factories import make_department, make_doctor, make_hospital, make_operator, make_user
from tests.scheduling.helpers import NOW, make_clinic
from yiyun.core.errors import ValidationFailed
from yiyun.scheduling import services
from yiyun.scheduling.models import Session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_nine")]


@pytest.fixture
def clinic():
    return make_clinic(department="儿科", code="07", doctor="王芳")


def _form(clinic, **changes) -> dict:
    day = NOW.date() + dt.timedelta(days=10)
    return {"department": clinic["department"].pk, "doctor": clinic["doctor"].pk, "campus": "",
            "date": f"{day:%Y-%m-%d}", "period": "eve", "start_time": "18:00", "end_time": "20:00",
            "window_minutes": 30, "online_per_window": 5, "onsite_per_window": 1,
            "visit_type": clinic["types"]["convenience"].pk, "fee_fen": ""} | changes


def test_the_operator_adds_an_evening_clinic(clinic):
    client = login_client(make_operator(clinic["hospital"]))
    sessions_page = client.get(f"/ops/sessions/?date={NOW.date():%Y-%m-%d}").content.decode()
    assert 'data-testid="add-session"' in sessions_page
    done = client.post("/ops/sessions/new/", _form(clinic))
    assert done.status_code == 302
    session = Session.objects.get()
    assert session.template is None and session.period == "eve" and session.fee_fen == 0
    assert session.windows.count() == 4 and session.tickets.filter(channel="online").count() == 20
    release = timezone.localtime(session.release_at)
    assert (release.date(), release.time()) == (session.date - dt.timedelta(days=7), dt.time(7, 0))
    assert done["Location"] == f"/ops/sessions/?date={session.date:%Y-%m-%d}"


def test_a_session_already_over_or_a_doctor_of_another_department_is_refused(clinic):
    client = login_client(make_operator(clinic["hospital"]))
    past = client.post("/ops/sessions/new/", _form(clinic, date=f"{NOW.date():%Y-%m-%d}", period="am",
                                                   start_time="07:00", end_time="08:30"))
    assert past.status_code == 200 and "加诊时间已过" in past.content.decode()
    other = make_doctor(clinic["hospital"], make_department(clinic["hospital"], name="内科", code="03"), name="李四")
    wrong = client.post("/ops/sessions/new/", _form(clinic, doctor=other.pk))
    assert wrong.status_code == 200 and "该医生不在此科室出诊" in wrong.content.decode()
    assert not Session.objects.exists()


def test_the_same_slot_twice_is_a_conflict_shown_on_the_form(clinic):
    client = login_client(make_operator(clinic["hospital"]))
    client.post("/ops/sessions/new/", _form(clinic))
    again = client.post("/ops/sessions/new/", _form(clinic, start_time="19:00", end_time="21:00"))
    assert again.status_code == 200 and "该医生此时段已有出诊" in again.content.decode()
    assert Session.objects.count() == 1


def test_an_operator_of_another_hospital_cannot_add_here(clinic):
    outsider = login_client(make_operator(make_hospital(name="乙院")))
    assert outsider.get(f"/ops/sessions/new/?hospital={clinic['hospital'].external_id}").status_code == 404
    refused = outsider.post("/ops/sessions/new/", _form(clinic))  # its own hospital: these choices are not offered
    assert refused.status_code == 200 and not Session.objects.exists()
    assert login_client(make_user()).get("/ops/sessions/new/").status_code == 403


def test_the_service_checks_like_a_template(clinic):
    with pytest.raises(ValidationFailed) as refused:
        services.add_session(doctor=clinic["doctor"], department=clinic["department"],
                             day=NOW.date() + dt.timedelta(days=2), period="pm", start=dt.time(14), end=dt.time(15),
                             window_minutes=30, online_per_window=0, onsite_per_window=0,
                             visit_type=clinic["types"]["general"])
    assert refused.value.code == "clinic_places" and not Session.objects.exists()
