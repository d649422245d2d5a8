import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import make_department, make_doctor, make_hospital, make_patient, make_user
from yiyun.audit.services import AccessContext
from yiyun.booking import services as booking
from yiyun.booking.models import Ticket
from yiyun.scheduling import services
from yiyun.scheduling.models import BookingPolicy, ScheduleTemplate, Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def template():
    hospital = make_hospital()
    department = make_department(hospital)
    doctor = make_doctor(hospital, department)
    visit_types = services.ensure_visit_types(hospital)
    BookingPolicy.objects.create(hospital=hospital, horizon_days=7, release_time=dt.time(7, 0))
    return ScheduleTemplate.objects.create(
        hospital=hospital, doctor=doctor, department=department, weekday=timezone.localdate().weekday(),
        period="am", start_time=dt.time(8, 0), end_time=dt.time(10, 0), window_minutes=30, online_per_window=3,
        onsite_per_window=1, visit_type=visit_types["expert"], valid_from=dt.date(2026, 1, 1))


def test_generation_fills_the_horizon_once(template):
    today = timezone.localdate()
    created = services.generate_sessions(today=today)
    sessions = Session.objects.filter(doctor=template.doctor).order_by("date")
    # Same weekday as today: today and one week later (horizon 7, plus the unreleased next day).
    assert [s.date for s in sessions] == [today, today + dt.timedelta(days=7)]
    assert created == 2
    assert services.generate_sessions(today=today) == 0
    session = sessions.first()
    windows = list(session.windows.order_by("starts_at"))
    assert len(windows) == 4 and [w.first_number for w in windows] == [1, 5, 9, 13]
    assert Ticket.objects.filter(session=session).count() == 16
    assert Ticket.objects.filter(session=session, channel="online").count() == 12
    assert session.fee_fen == 5000  # the expert visit type's default fee
    local_release = timezone.localtime(session.release_at)
    assert (local_release.date(), local_release.time()) == (today - dt.timedelta(days=7), dt.time(7, 0))


def test_retiring_a_template_never_drops_a_booking(template):
    today = timezone.localdate()
    services.generate_sessions(today=today)
    future = Session.objects.get(doctor=template.doctor, date=today + dt.timedelta(days=7))
    account = make_user()
    patient = make_patient(account)
    # Booked just after its release (day +7 opens at 07:00 today: before that, "now" would find it unreleased).
    booking.book(ctx=AccessContext(actor=account, channel="api"), patient_id=patient.external_id,
                 window_id=future.windows.first().external_id,
                 now=max(timezone.now(), future.release_at + dt.timedelta(minutes=1)))
    services.generate_sessions(today=today)
    withdrawn = services.retire_template(template=template)
    assert Session.objects.filter(pk=future.pk).exists()  # it has a booking: kept
    assert withdrawn == 0 or not Session.objects.filter(template=template, starts_at__gt=timezone.now()).exclude(
        pk=future.pk).exists()


def test_session_validation(template):
    with pytest.raises(services.ValidationFailed):
        services.create_session(doctor=template.doctor, department=template.department,
                                day=timezone.localdate(), period="pm", start=dt.time(14), end=dt.time(13),
                                window_minutes=30, online_per_window=1, onsite_per_window=0,
                                visit_type=template.visit_type)
    services.create_session(doctor=template.doctor, department=template.department,
                            day=timezone.localdate() + dt.timedelta(days=3), period="pm", start=dt.time(14),
                            end=dt.time(15), window_minutes=30, online_per_window=1, onsite_per_window=0,
                            visit_type=template.visit_type)
    with pytest.raises(services.Conflict):
        services.create_session(doctor=template.doctor, department=template.department,
                                day=timezone.localdate() + dt.timedelta(days=3), period="pm", start=dt.time(14),
                                end=dt.time(15), window_minutes=30, online_per_window=1, onsite_per_window=0,
                                visit_type=template.visit_type)
