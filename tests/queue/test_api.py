"""The queue API: patients check in and follow their place; doctors run their sessions."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import login_client
from tests.factories import make_user
from tests.queue.helpers import at, book_in, doctor_with_login, make_clinic

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """Freeze "now" at a moment today; move it with clock.set(hour, minute)."""

    class Clock:
        now = at(8, 10)

        def set(self, hour, minute=0):
            self.now = at(hour, minute)

    c = Clock()
    monkeypatch.setattr(timezone, "now", lambda: c.now)
    return c


def test_patient_checks_in_and_follows_their_place(clock):
    clinic = make_clinic()
    first, mine = book_in(clinic), book_in(clinic)
    client = login_client(mine.account)
    clock.set(6, 30)
    early = client.post(f"/api/v1/bookings/{mine.external_id}/check-in")
    assert early.status_code == 409
    envelope = early.json()
    opens_at = envelope["fields"].pop("opens_at")
    assert envelope == {"code": "checkin_not_open", "message": "07:00起可签到",
                        "message_en": "Check-in opens at 07:00", "fields": {}}
    assert dt.datetime.fromisoformat(opens_at) == at(7)
    clock.set(7, 40)
    login_client(first.account).post(f"/api/v1/bookings/{first.external_id}/check-in")
    checked = client.post(f"/api/v1/bookings/{mine.external_id}/check-in")
    assert checked.status_code == 200, checked.content
    body = checked.json()
    assert (body["status"], body["number"], body["position"], body["now_calling"]) == ("waiting", 2, 1, None)
    assert body["eta_minutes"] == 28  # 20 minutes until 08:00 + 1 patient × 7.5 minutes, rounded up
    assert client.post(f"/api/v1/bookings/{mine.external_id}/check-in").json()["checked_in_at"] == \
        body["checked_in_at"]
    doctor = login_client(clinic.doctor_user)
    clock.set(8, 0)
    called = doctor.post(f"/api/v1/doctor/sessions/{clinic.session.external_id}/call-next")
    assert called.status_code == 200 and called.json()["number"] == 1
    mine_now = client.get(f"/api/v1/bookings/{mine.external_id}/queue").json()
    assert (mine_now["position"], mine_now["now_calling"], mine_now["eta_minutes"]) == (0, 1, 8)
    stranger = login_client(make_user()).get(f"/api/v1/bookings/{mine.external_id}/queue")
    assert stranger.status_code == 404 and stranger.json()["code"] == "booking_not_found"


def test_doctor_runs_the_queue_over_the_api(clock):
    clinic = make_clinic()
    bookings = [book_in(clinic, name=n) for n in ("王小明", "李秀英")]
    clock.set(7, 45)
    for b in bookings:
        login_client(b.account).post(f"/api/v1/bookings/{b.external_id}/check-in")
    doctor = login_client(clinic.doctor_user)
    clock.set(8, 0)
    (session,) = doctor.get("/api/v1/doctor/sessions").json()
    assert (session["id"], session["booked"], session["waiting"], session["now_calling"]) == (
        str(clinic.session.external_id), 2, 2, None)
    queue = doctor.get(f"/api/v1/doctor/sessions/{session['id']}/queue").json()
    assert [(e["number"], e["patient_name"], e["sex"]) for e in queue["waiting"]] == [(1, "王小明", "男"),
                                                                                     (2, "李秀英", "男")]
    assert queue["minutes_per_visit"] == 7.5 and queue["current"] is None
    entry = doctor.post(f"/api/v1/doctor/sessions/{session['id']}/call-next").json()
    busy = doctor.post(f"/api/v1/doctor/sessions/{session['id']}/call-next")
    assert busy.status_code == 409 and busy.json()["code"] == "current_not_finished"
    assert doctor.post(f"/api/v1/doctor/queue-entries/{entry['id']}/recall").json()["call_count"] == 2
    skipped = doctor.post(f"/api/v1/doctor/queue-entries/{entry['id']}/skip").json()
    assert (skipped["status"], skipped["missed_calls"]) == ("waiting", 1)
    second = doctor.post(f"/api/v1/doctor/sessions/{session['id']}/call-next").json()
    assert second["number"] == 2
    clock.set(8, 6)
    finished = doctor.post(f"/api/v1/doctor/queue-entries/{second['id']}/finish").json()
    assert finished["status"] == "done"
    queue = doctor.get(f"/api/v1/doctor/sessions/{session['id']}/queue").json()
    assert (queue["done"], [e["number"] for e in queue["waiting"]]) == (1, [1])
    assert queue["waiting"][0]["missed_calls"] == 1


def test_doctor_endpoints_are_for_the_sessions_own_doctor_only(clock):
    clinic = make_clinic()
    booking = book_in(clinic)
    clock.set(7, 45)
    login_client(booking.account).post(f"/api/v1/bookings/{booking.external_id}/check-in")
    _, other_user = doctor_with_login(clinic.hospital, clinic.department, name="李娜")
    other = login_client(other_user)
    url = f"/api/v1/doctor/sessions/{clinic.session.external_id}"
    assert other.get("/api/v1/doctor/sessions").json() == []
    for answer in (other.get(f"{url}/queue"), other.post(f"{url}/call-next")):
        assert answer.status_code == 404 and answer.json()["code"] == "session_not_found"
    patient = login_client(booking.account).get(f"{url}/queue")
    assert patient.status_code == 403 and patient.json()["code"] == "not_a_doctor"
    assert login_client(make_user()).get("/api/v1/doctor/sessions").status_code == 403
    assert Client().get(f"{url}/queue").status_code == 401
