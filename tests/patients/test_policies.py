"""can_access: the account's own 就诊人, and a doctor's care relationship on the day of the visit."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import login_client
from tests.factories import make_patient, make_user
from tests.queue.helpers import at, book_in, ctx_for, doctor_with_login, make_clinic
from yiyun.audit.models import AccessLog
from yiyun.booking import services as booking_services
from yiyun.booking.states import Status
from yiyun.patients.policies import can_access

pytestmark = pytest.mark.django_db


def test_the_account_manages_its_own_patients_and_nobody_else_does():
    owner = make_user()
    patient = make_patient(owner)
    assert can_access(owner, patient) and can_access(owner, patient, action="update")
    assert not can_access(make_user(), patient)
    assert not can_access(None, patient)


def test_a_doctor_may_read_a_patient_booked_in_their_own_session_today():
    clinic = make_clinic()
    booking = book_in(clinic, name="王小明")
    assert booking.status == Status.CONFIRMED
    assert can_access(clinic.doctor_user, booking.patient)
    assert can_access(clinic.doctor_user, booking.patient, action="list")
    assert not can_access(clinic.doctor_user, booking.patient, action="update")  # read only
    assert not can_access(clinic.doctor_user, booking.patient, action="delete")
    client = login_client(clinic.doctor_user)
    answer = client.get(f"/api/v1/patients/{booking.patient.external_id}")
    assert answer.status_code == 200 and answer.json()["name"] == "王小明"
    assert AccessLog.objects.filter(actor=clinic.doctor_user, patient=booking.patient, outcome="allowed").exists()
    removed = client.delete(f"/api/v1/patients/{booking.patient.external_id}")
    assert removed.status_code == 404


def test_a_doctor_without_a_care_relationship_today_is_denied():
    clinic = make_clinic()
    booking = book_in(clinic)
    other, other_user = doctor_with_login(clinic.hospital, clinic.department, name="李娜")
    assert not can_access(other_user, booking.patient)  # not their session
    tomorrow = make_clinic(day=timezone.localdate() + dt.timedelta(days=1))
    future = book_in(tomorrow)
    assert not can_access(tomorrow.doctor_user, future.patient)  # a booking, but not today
    booking_services.cancel(ctx=ctx_for(booking.account), booking_id=booking.external_id, now=at(5))
    assert not can_access(clinic.doctor_user, booking.patient)  # cancelled: the relationship is gone
    answer = login_client(other_user).get(f"/api/v1/patients/{booking.patient.external_id}")
    assert answer.status_code == 404
    assert AccessLog.objects.filter(actor=other_user, patient=booking.patient, outcome="denied").exists()
