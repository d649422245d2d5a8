"""我的排班: a doctor's own sessions for two weeks, with bookings, 停诊, 替诊 both ways and unreleased days."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import login_client
from tests.factories import make_department, make_hospital, make_patient, make_session, make_user
from tests.queue.helpers import doctor_with_login
from yiyun.audit.services import AccessContext
from yiyun.booking import services as booking
from yiyun.scheduling import services as scheduling

pytestmark = pytest.mark.django_db


@pytest.fixture
def timetable():
    hospital = make_hospital(name="甲院")
    department = make_department(hospital, name="心血管内科")
    doctor, user = doctor_with_login(hospital, department, name="张伟")
    colleague, _ = doctor_with_login(hospital, department, name="李娜")
    today = timezone.localdate()
    booked = make_session(doctor, day=today + dt.timedelta(days=1), fee_fen=0)
    account = make_user()
    booking.book(ctx=AccessContext(actor=account, channel="api"), patient_id=make_patient(account).external_id,
                 window_id=booked.windows.first().external_id)
    stopped = make_session(doctor, day=today + dt.timedelta(days=2))
    scheduling.stop_session(session=stopped, reason="外出会诊")
    handed_over = make_session(doctor, day=today + dt.timedelta(days=3))
    scheduling.substitute_doctor(session=handed_over, doctor=colleague, reason="病假")
    covering = make_session(colleague, day=today + dt.timedelta(days=4), period="pm")
    scheduling.substitute_doctor(session=covering, doctor=doctor, reason="李娜进修")
    unreleased = make_session(doctor, day=today + dt.timedelta(days=12))
    later = make_session(doctor, day=today + dt.timedelta(days=15))
    others = make_session(colleague, day=today + dt.timedelta(days=1))
    return {"user": user, "today": today, "booked": booked, "stopped": stopped, "handed_over": handed_over,
            "covering": covering, "unreleased": unreleased, "later": later, "others": others}


def _sessions_on(html: str, day: dt.date) -> str:
    marker = f'data-testid="timetable-day-{day:%Y-%m-%d}"'
    assert marker in html, f"no sessions shown on {day}"
    return html.split(marker, 1)[1].split("</section>", 1)[0]


def test_the_doctor_sees_two_weeks_with_bookings_stops_and_substitutions(timetable):
    page = login_client(timetable["user"]).get("/doctor/timetable/")
    assert page.status_code == 200
    html = page.content.decode()
    day = lambda n: timetable["today"] + dt.timedelta(days=n)  # noqa: E731
    assert "已约 1/4" in _sessions_on(html, day(1))
    assert "停诊" in _sessions_on(html, day(2)) and "外出会诊" in _sessions_on(html, day(2))
    assert "由李娜替诊" in _sessions_on(html, day(3)) and "病假" in _sessions_on(html, day(3))
    assert "替李娜出诊" in _sessions_on(html, day(4))
    release = timezone.localtime(timetable["unreleased"].release_at)
    assert f"{release:%m月%d日 %H:%M} 放号" in _sessions_on(html, day(12))
    assert html.count('data-testid="timetable-session"') == 5  # not the colleague's own, not day +15
    assert f'data-testid="timetable-day-{day(15):%Y-%m-%d}"' not in html


def test_the_next_two_weeks_and_a_bad_date(timetable):
    client = login_client(timetable["user"])
    start = timetable["today"] + dt.timedelta(days=14)
    html = client.get(f"/doctor/timetable/?start={start:%Y-%m-%d}").content.decode()
    assert html.count('data-testid="timetable-session"') == 1
    assert _sessions_on(html, timetable["today"] + dt.timedelta(days=15))
    fallback = client.get("/doctor/timetable/?start=not-a-date")
    assert fallback.status_code == 200 and "已约 1/4" in fallback.content.decode()


def test_only_doctors_have_a_timetable():
    assert login_client(make_user()).get("/doctor/timetable/").status_code == 403
    anonymous = Client().get("/doctor/timetable/")
    assert anonymous.status_code == 302 and "/accounts/login" in anonymous["Location"]


def test_the_timetable_over_the_api(timetable):
    client = login_client(timetable["user"])
    rows = client.get("/api/v1/doctor/timetable").json()
    by_day = {(r["date"], r["period"]): r for r in rows}
    day = lambda n: f"{timetable['today'] + dt.timedelta(days=n):%Y-%m-%d}"  # noqa: E731
    assert len(rows) == 5
    assert (by_day[(day(1), "am")]["booked"], by_day[(day(1), "am")]["places"]) == (1, 4)
    assert by_day[(day(2), "am")]["status"] == "stopped" and by_day[(day(2), "am")]["change_reason"] == "外出会诊"
    assert (by_day[(day(3), "am")]["status"], by_day[(day(3), "am")]["doctor_name"]) == ("covered", "李娜")
    assert (by_day[(day(4), "pm")]["status"], by_day[(day(4), "pm")]["covering_for"]) == ("covering", "李娜")
    assert (by_day[(day(1), "am")]["status"], by_day[(day(1), "am")]["covering_for"]) == ("open", None)
    later = client.get(f"/api/v1/doctor/timetable?start={day(14)}").json()
    assert [r["date"] for r in later] == [day(15)]
    refused = login_client(make_user()).get("/api/v1/doctor/timetable")
    assert refused.status_code == 403 and refused.json()["code"] == "not_a_doctor"
    assert client.get("/api/v1/doctor/timetable?start=soon").status_code == 422
    assert Client().get("/api/v1/doctor/timetable").status_code == 401
