import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import login_client
from tests.factories import make_department, make_doctor, make_hospital, make_patient, make_session, make_user
from yiyun.booking.models import Booking, WaitlistEntry
from yiyun.scheduling.models import BookingPolicy

pytestmark = pytest.mark.django_db


def test_department_schedule_shows_dates_windows_and_a_countdown_before_release():
    hospital = make_hospital()
    BookingPolicy.objects.create(hospital=hospital, horizon_days=7, release_time=dt.time(7, 0))
    department = make_department(hospital)
    doctor = make_doctor(hospital, department, name="李医生")
    make_session(doctor, department=department)
    later = timezone.localdate() + dt.timedelta(days=8)
    make_session(doctor, department=department, day=later)
    client = Client()
    html = client.get(f"/book/departments/{department.external_id}/").content.decode()
    assert "李医生" in html and "余" in html and 'data-testid="slot"' in html
    future = client.get(f"/book/departments/{department.external_id}/?date={later:%Y-%m-%d}").content.decode()
    assert "data-countdown-to" in future and "放号时间" in future


def test_book_from_the_page_then_cancel():
    account = make_user()
    patient = make_patient(account, name="赵一")
    window = make_session(fee_fen=1500).windows.first()
    client = login_client(account)
    page = client.get(f"/book/windows/{window.external_id}/").content.decode()
    assert "赵一" in page and "¥15.00" in page
    response = client.post(f"/book/windows/{window.external_id}/", {"patient_id": str(patient.external_id),
                                                                    "idempotency_key": "form-1"})
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/me/bookings/{booking.external_id}/"
    again = client.post(f"/book/windows/{window.external_id}/", {"patient_id": str(patient.external_id),
                                                                 "idempotency_key": "form-1"})
    assert again.status_code == 302 and Booking.objects.count() == 1  # a double tap books once
    detail = client.get(f"/me/bookings/{booking.external_id}/").content.decode()
    assert "待支付" in detail and "data-countdown-to" in detail
    assert "赵一" in client.get("/me/bookings/").content.decode()
    client.post(f"/me/bookings/{booking.external_id}/cancel/")
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert login_client(make_user()).get(f"/me/bookings/{booking.external_id}/").status_code == 404


def test_full_window_offers_the_waitlist_on_the_page():
    window = make_session(online=1, windows=1, fee_fen=0).windows.get()
    first = make_user()
    login_client(first).post(f"/book/windows/{window.external_id}/",
                             {"patient_id": str(make_patient(first).external_id)})
    waiter = make_user()
    patient = make_patient(waiter)
    client = login_client(waiter)
    page = client.get(f"/book/windows/{window.external_id}/").content.decode()
    assert "加入候补" in page
    client.post(f"/book/windows/{window.external_id}/", {"patient_id": str(patient.external_id), "action": "waitlist"})
    assert WaitlistEntry.objects.filter(patient=patient, status="waiting").exists()
    assert "候补中" in client.get("/me/bookings/").content.decode()
