import pytest

from tests.conftest import login_client
from tests.factories import make_patient, make_session, make_user
from yiyun.booking.models import Booking

pytestmark = pytest.mark.django_db


def test_book_over_the_api_with_an_idempotency_key():
    account = make_user()
    patient = make_patient(account)
    session = make_session(online=1, windows=1)
    window = session.windows.get()
    client = login_client(account)
    body = {"window_id": str(window.external_id), "patient_id": str(patient.external_id)}
    first = client.post("/api/v1/bookings", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="abc")
    assert first.status_code == 201, first.content
    assert first.json()["status"] == "held" and first.json()["number"] == window.first_number
    retry = client.post("/api/v1/bookings", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="abc")
    assert retry.status_code == 200 and retry.json()["id"] == first.json()["id"]
    assert Booking.objects.count() == 1
    other = make_user()
    full = login_client(other).post("/api/v1/bookings", {"window_id": str(window.external_id),
                                                         "patient_id": str(make_patient(other).external_id)},
                                    content_type="application/json")
    assert full.status_code == 409
    assert full.json()["code"] == "window_full" and full.json()["message"] == "该时段已约满，可加入候补"
    assert full.json()["actions"][0]["kind"] == "join_waitlist"


def test_public_schedule_endpoints():
    session = make_session(online=2, windows=2)
    department = session.department
    from django.test import Client

    client = Client()
    dates = client.get(f"/api/v1/departments/{department.external_id}/dates").json()
    assert dates[0]["free"] == 4 and dates[0]["released"] is True
    sessions = client.get("/api/v1/sessions", {"department_id": str(department.external_id)}).json()
    assert sessions[0]["fee_fen"] == 1500 and len(sessions[0]["windows"]) == 2
    assert sessions[0]["windows"][0]["free"] == 2


def test_my_bookings_cancel_and_others_404():
    account = make_user()
    patient = make_patient(account)
    window = make_session(fee_fen=0).windows.first()
    client = login_client(account)
    booking_id = client.post("/api/v1/bookings", {"window_id": str(window.external_id),
                                                  "patient_id": str(patient.external_id)},
                             content_type="application/json").json()["id"]
    assert [b["id"] for b in client.get("/api/v1/bookings").json()] == [booking_id]
    intruder = login_client(make_user())
    assert intruder.get(f"/api/v1/bookings/{booking_id}").status_code == 404
    assert intruder.post(f"/api/v1/bookings/{booking_id}/cancel", {}, content_type="application/json").status_code == 404
    cancelled = client.post(f"/api/v1/bookings/{booking_id}/cancel", {"reason": "改期"}, content_type="application/json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_waitlist_api():
    window = make_session(online=1, windows=1, fee_fen=0).windows.get()
    holder = make_user()
    login_client(holder).post("/api/v1/bookings", {"window_id": str(window.external_id),
                                                   "patient_id": str(make_patient(holder).external_id)},
                              content_type="application/json")
    waiter = make_user()
    client = login_client(waiter)
    joined = client.post("/api/v1/waitlist", {"window_id": str(window.external_id),
                                              "patient_id": str(make_patient(waiter).external_id)},
                         content_type="application/json")
    assert joined.status_code == 201 and joined.json()["position"] == 1
    assert client.get("/api/v1/waitlist").json()[0]["status"] == "waiting"
    assert client.delete(f"/api/v1/waitlist/{joined.json()['id']}").status_code == 204
    assert client.get("/api/v1/waitlist").json()[0]["status"] == "cancelled"
