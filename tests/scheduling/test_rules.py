"""A hospital's booking and release rules: ranges, the one door that saves them (unreleased sessions follow the
new release rule, released ones keep theirs, a longer horizon publishes the new days), the operator page and the
back-office going through it."""

import datetime as dt

import pytest

from tests.conftest import login_client
from tests.factories import (
    make_department,
    make_doctor,
    make_hospital,
    make_operator,
    make_patient,
    make_user,
)
from tests.scheduling.helpers import NOW
from yiyun.audit.services import AccessContext
from yiyun.booking import services as booking
from yiyun.core.errors import ValidationFailed
from yiyun.scheduling import services
from yiyun.scheduling.models import BookingPolicy, ScheduleTemplate, Session
from yiyun.scheduling.services import SHANGHAI

pytestmark = pytest.mark.django_db


@pytest.fixture
def hospital():
    hospital = make_hospital(name="甲院")
    department = make_department(hospital)
    doctor = make_doctor(hospital, department)
    visit_types = services.ensure_visit_types(hospital)
    BookingPolicy.objects.create(hospital=hospital, horizon_days=7, release_time=dt.time(7, 0))
    ScheduleTemplate.objects.create(
        hospital=hospital, doctor=doctor, department=department, weekday=0, period="am", start_time=dt.time(8, 0),
        end_time=dt.time(9, 0), window_minutes=30, online_per_window=2, onsite_per_window=0,
        visit_type=visit_types["general"], valid_from=dt.date(2026, 1, 1))
    for weekday in range(1, 7):  # a session every day, so every day of the horizon has one
        ScheduleTemplate.objects.create(
            hospital=hospital, doctor=doctor, department=department, weekday=weekday, period="am",
            start_time=dt.time(8, 0), end_time=dt.time(9, 0), window_minutes=30, online_per_window=2,
            onsite_per_window=0, visit_type=visit_types["general"], valid_from=dt.date(2026, 1, 1))
    services.generate_sessions(today=NOW.date())
    return hospital


def _release(day_offset: int) -> dt.datetime:
    session = Session.objects.get(date=NOW.date() + dt.timedelta(days=day_offset))
    return session.release_at.astimezone(SHANGHAI)


def test_a_later_release_time_moves_only_the_unreleased_sessions(hospital):
    released_before = _release(7)  # day +7 opened at 07:00 today
    assert _release(8) == dt.datetime.combine(NOW.date() + dt.timedelta(days=1), dt.time(7, 0), tzinfo=SHANGHAI)
    policy = services.policy_for(hospital)
    policy.release_time = dt.time(8, 30)
    saved = services.save_booking_policy(policy=policy, now=NOW)
    assert saved.restamped == 1 and saved.created == 0
    assert _release(8) == dt.datetime.combine(NOW.date() + dt.timedelta(days=1), dt.time(8, 30), tzinfo=SHANGHAI)
    assert _release(7) == released_before  # released: patients may hold numbers in it


def test_rules_that_are_not_the_release_rule_move_no_session(hospital):
    policy = services.policy_for(hospital)
    policy.hold_minutes = 20
    assert services.save_booking_policy(policy=policy, now=NOW).restamped == 0
    assert BookingPolicy.objects.get(hospital=hospital).hold_minutes == 20
    assert _release(8).time() == dt.time(7, 0)


def test_booking_follows_the_moved_release(hospital):
    policy = services.policy_for(hospital)
    policy.release_time = dt.time(8, 30)
    services.save_booking_policy(policy=policy, now=NOW)
    window = Session.objects.get(date=NOW.date() + dt.timedelta(days=8)).windows.first()
    account = make_user()
    patient = make_patient(account)
    ctx = AccessContext(actor=account, channel="api")
    tomorrow_8 = dt.datetime.combine(NOW.date() + dt.timedelta(days=1), dt.time(8, 0), tzinfo=SHANGHAI)
    with pytest.raises(booking.NotReleased):
        booking.book(ctx=ctx, patient_id=patient.external_id, window_id=window.external_id, now=tomorrow_8)
    result = booking.book(ctx=ctx, patient_id=patient.external_id, window_id=window.external_id,
                          now=tomorrow_8 + dt.timedelta(minutes=31))
    assert result.created and result.number == 1


def test_a_longer_horizon_publishes_the_new_days_and_opens_them(hospital):
    policy = services.policy_for(hospital)
    assert not Session.objects.filter(date=NOW.date() + dt.timedelta(days=9)).exists()
    policy.horizon_days = 10
    saved = services.save_booking_policy(policy=policy, now=NOW)
    assert saved.created == 3  # days +9, +10 and the unreleased +11
    assert saved.restamped == 1  # day +8 now opened three days earlier, i.e. at once
    assert _release(8) <= NOW
    assert _release(11) > NOW


@pytest.mark.parametrize(("field", "value", "code"), [
    ("horizon_days", 0, "policy_out_of_range"),
    ("horizon_days", 365, "policy_out_of_range"),
    ("hold_minutes", 1, "policy_out_of_range"),
    ("max_active_per_week", 1, "policy_week_below_day"),
])
def test_rules_out_of_range_are_refused_and_nothing_moves(hospital, field, value, code):
    policy = services.policy_for(hospital)
    before = _release(8)
    setattr(policy, field, value)
    policy.release_time = dt.time(9, 0)
    with pytest.raises(ValidationFailed) as refused:
        services.save_booking_policy(policy=policy, now=NOW)
    assert refused.value.code == code and field in refused.value.fields
    assert _release(8) == before
    assert BookingPolicy.objects.get(hospital=hospital).release_time == dt.time(7, 0)


def _form(policy: BookingPolicy, **changes) -> dict:
    data = {name: getattr(policy, name) for name in (
        "horizon_days", "max_active_per_day", "max_active_per_week", "hold_minutes", "cancel_deadline_minutes",
        "waitlist_offer_minutes", "no_show_limit", "no_show_window_days", "suspension_days",
        "checkin_opens_minutes", "late_grace_minutes", "missed_call_requeue_after", "max_missed_calls")}
    data |= {"release_time": policy.release_time.strftime("%H:%M"), "reminder_time": "18:00",
             "one_per_doctor_per_day": "on"}
    return data | changes


def test_the_operator_page_saves_through_the_service(hospital, at_nine):
    client = login_client(make_operator(hospital))
    url = f"/ops/rules/{hospital.external_id}/"
    assert f'href="{url}"' in client.get(f"/ops/sessions/?date={NOW.date():%Y-%m-%d}").content.decode()
    page = client.get(url)
    assert page.status_code == 200 and "每日放号时间" in page.content.decode()
    done = client.post(url, _form(services.policy_for(hospital), release_time="06:30"))
    assert done.status_code == 302
    assert BookingPolicy.objects.get(hospital=hospital).release_time == dt.time(6, 30)
    assert _release(8) == dt.datetime.combine(NOW.date() + dt.timedelta(days=1), dt.time(6, 30), tzinfo=SHANGHAI)
    assert _release(7).time() == dt.time(7, 0)


def test_the_operator_page_shows_the_refusal_and_keeps_the_rules(hospital):
    client = login_client(make_operator(hospital))
    refused = client.post(f"/ops/rules/{hospital.external_id}/",
                          _form(services.policy_for(hospital), max_active_per_day=5, max_active_per_week=2))
    assert refused.status_code == 200 and "每周上限不能小于每天上限" in refused.content.decode()
    assert BookingPolicy.objects.get(hospital=hospital).max_active_per_week == 5


def test_only_the_hospitals_operators_see_its_rules(hospital):
    url = f"/ops/rules/{hospital.external_id}/"
    assert login_client(make_operator(make_hospital(name="乙院"))).get(url).status_code == 404
    assert login_client(make_user()).get(url).status_code == 403
    assert login_client(make_operator(hospital)).get("/ops/rules/not-a-uuid/").status_code == 404


def test_the_back_office_goes_through_the_same_door(hospital, at_nine):
    admin = make_operator(hospital)
    policy = services.policy_for(hospital)
    data = _form(policy, release_time="08:45", hospital=str(hospital.pk))
    response = login_client(admin).post(f"/admin/scheduling/bookingpolicy/{policy.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _release(8).time() == dt.time(8, 45)
    bad = login_client(admin).post(f"/admin/scheduling/bookingpolicy/{policy.pk}/change/",
                                   _form(policy, horizon_days=0, hospital=str(hospital.pk)))
    assert bad.status_code == 200 and BookingPolicy.objects.get(pk=policy.pk).horizon_days == 7
