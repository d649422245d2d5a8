"""Cancellation, hold expiry, waitlist hand-over, 停诊, 替诊, no-shows and reminders."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.booking.test_booking import ctx_for, first_window
from tests.factories import make_department, make_doctor, make_hospital, make_patient, make_session, make_user
from yiyun.booking import errors, gate, services
from yiyun.booking.models import Booking, Suspension, Ticket, WaitlistEntry
from yiyun.booking.states import Status
from yiyun.scheduling import services as scheduling
from yiyun.scheduling.models import BookingPolicy

pytestmark = pytest.mark.django_db


def person(name="患者"):
    account = make_user()
    return account, make_patient(account, name=name)


def book(account, patient, window, **kw):
    return Booking.objects.get(pk=services.book(ctx=ctx_for(account), patient_id=patient.external_id,
                                                window_id=window.external_id, **kw).booking_id)


def test_cancel_frees_the_number_for_the_next_patient():
    window = first_window(make_session(online=1, windows=1, fee_fen=0))
    a, pa = person("张甲")
    booking = book(a, pa, window)
    services.cancel(ctx=ctx_for(a), booking_id=booking.external_id, reason="有事")
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED and booking.cancel_reason == "有事"
    b, pb = person("李乙")
    again = book(b, pb, window)
    assert again.number == booking.number  # the same number, released back to the pool


def test_cancel_after_the_deadline_is_refused():
    window = first_window(make_session(fee_fen=0))
    a, pa = person()
    booking = book(a, pa, window)
    late = window.starts_at - dt.timedelta(minutes=30)  # default deadline: 120 minutes before
    with pytest.raises(errors.CancelTooLate):
        services.cancel(ctx=ctx_for(a), booking_id=booking.external_id, now=late)
    with pytest.raises(errors.BookingNotFound):
        services.cancel(ctx=ctx_for(make_user()), booking_id=booking.external_id)


def test_unpaid_hold_is_released_after_15_minutes():
    window = first_window(make_session(online=1, windows=1, fee_fen=1500))
    a, pa = person()
    booking = book(a, pa, window)
    assert services.expire_holds(now=booking.created_at + dt.timedelta(minutes=14)) == 0
    assert services.expire_holds(now=booking.created_at + dt.timedelta(minutes=15, seconds=1)) == 1
    booking.refresh_from_db()
    assert booking.status == Status.EXPIRED
    assert Ticket.objects.get(session=window.session, number=booking.number).booking_id is None
    assert services.confirm_paid(booking_external_id=str(booking.external_id), payment_ref="late") is False


def test_paid_in_time_confirms_and_a_repeat_notice_is_harmless(django_capture_on_commit_callbacks):
    window = first_window(make_session(fee_fen=1500))
    a, pa = person()
    booking = book(a, pa, window)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.confirm_paid(booking_external_id=str(booking.external_id), payment_ref="p1")
    assert services.confirm_paid(booking_external_id=str(booking.external_id), payment_ref="p1")
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED and booking.payment_ref == "p1"
    assert a.notifications.filter(kind="booking_confirmed").count() == 1
    assert services.expire_holds(now=booking.created_at + dt.timedelta(hours=1)) == 0


def test_waitlist_gets_the_released_number_first_in_line(django_capture_on_commit_callbacks):
    window = first_window(make_session(online=1, windows=1, fee_fen=1500))
    holder, ph = person("张甲")
    booking = book(holder, ph, window)
    first, p1 = person("李乙")
    second, p2 = person("王丙")
    with pytest.raises(errors.WindowFull):
        book(first, p1, window)
    e1 = services.join_waitlist(ctx=ctx_for(first), patient_id=p1.external_id, window_id=window.external_id)
    e2 = services.join_waitlist(ctx=ctx_for(second), patient_id=p2.external_id, window_id=window.external_id)
    assert gate.is_sold_out(window.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(ctx=ctx_for(holder), booking_id=booking.external_id)
    e1.refresh_from_db()
    e2.refresh_from_db()
    assert (e1.status, e2.status) == (WaitlistEntry.Status.OFFERED, WaitlistEntry.Status.WAITING)
    offered = e1.booking
    assert offered.status == Status.HELD and offered.number == booking.number and offered.source == "waitlist"
    assert offered.hold_expires_at - offered.created_at == dt.timedelta(minutes=30)
    assert first.notifications.filter(kind="waitlist_offer").exists()
    assert gate.is_sold_out(window.pk)  # the number went to the waitlist, not back to the crowd
    # The first in line does not pay in time: the number moves on to the next.
    with django_capture_on_commit_callbacks(execute=True):
        services.expire_holds(now=offered.hold_expires_at + dt.timedelta(seconds=1))
    e1.refresh_from_db()
    e2.refresh_from_db()
    assert (e1.status, e2.status) == (WaitlistEntry.Status.EXPIRED, WaitlistEntry.Status.OFFERED)
    assert services.confirm_paid(booking_external_id=str(e2.booking.external_id), payment_ref="pay-2")
    e2.refresh_from_db()
    assert e2.status == WaitlistEntry.Status.BOOKED and e2.booking.status == Status.CONFIRMED


def test_number_returns_to_everyone_when_nobody_waits():
    window = first_window(make_session(online=1, windows=1, fee_fen=0))
    a, pa = person("张甲")
    booking = book(a, pa, window)
    b, pb = person("李乙")
    with pytest.raises(errors.WindowFull):
        book(b, pb, window)
    from django.test.utils import CaptureQueriesContext  # noqa: F401 - readability of the next block

    services.cancel(ctx=ctx_for(a), booking_id=booking.external_id)
    gate.clear(window.pk)  # on_commit is deferred inside the test transaction; do what it would do
    assert book(b, pb, window).number == booking.number


def test_joining_the_waitlist_needs_a_full_window():
    window = first_window(make_session(online=2, windows=1))
    a, pa = person()
    with pytest.raises(errors.DuplicateBooking) as err:
        services.join_waitlist(ctx=ctx_for(a), patient_id=pa.external_id, window_id=window.external_id)
    assert err.value.code == "window_has_places"


def test_stopping_a_session_cancels_refunds_notifies_and_offers_alternatives(django_capture_on_commit_callbacks):
    hospital = make_hospital()
    department = make_department(hospital)
    doctor = make_doctor(hospital, department, name="停诊医生")
    colleague = make_doctor(hospital, department, name="同科医生")
    day = timezone.localdate() + dt.timedelta(days=1)
    session = make_session(doctor, department=department, day=day, fee_fen=0)
    make_session(colleague, department=department, day=day, fee_fen=0)
    a, pa = person("张甲")
    booking = book(a, pa, first_window(session))
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = scheduling.stop_session(session=session, reason="医生外出会诊")
    assert cancelled == 1
    booking.refresh_from_db()
    assert booking.status == Status.STOPPED and "医生外出会诊" in booking.cancel_reason
    note = a.notifications.get(kind="session_stopped")
    assert "医生外出会诊" in note.body and "同科医生" in note.body  # the first equivalent alternative
    with pytest.raises(errors.SessionStopped):
        b, pb = person("李乙")
        book(b, pb, first_window(session))
    assert scheduling.stop_session(session=session, reason="again") == 0  # idempotent


def test_substitute_doctor_keeps_bookings_and_tells_patients(django_capture_on_commit_callbacks):
    hospital = make_hospital()
    department = make_department(hospital)
    doctor = make_doctor(hospital, department, name="原医生")
    substitute = make_doctor(hospital, department, name="替诊医生")
    session = make_session(doctor, department=department, fee_fen=0)
    a, pa = person()
    booking = book(a, pa, first_window(session))
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.substitute_doctor(session=session, doctor=substitute, reason="原医生病假")
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED and booking.doctor == substitute
    session.refresh_from_db()
    assert session.original_doctor == doctor
    assert "替诊医生" in a.notifications.get(kind="session_substituted").body
    late = first_window(session).starts_at - dt.timedelta(minutes=10)
    services.cancel(ctx=ctx_for(a), booking_id=booking.external_id, now=late)  # free even past the deadline


def test_three_no_shows_suspend_the_person_across_accounts():
    hospital = make_hospital()
    department = make_department(hospital)
    BookingPolicy.objects.create(hospital=hospital, no_show_limit=3, suspension_days=90, max_active_per_week=10)
    mother_account = make_user()
    patient = make_patient(mother_account, name="李某")
    for n in range(3):
        doctor = make_doctor(hospital, department, name=f"医生{n}")
        session = make_session(doctor, department=department, fee_fen=0,
                               day=timezone.localdate() + dt.timedelta(days=n + 1))
        booking = book(mother_account, patient, first_window(session))
        services.record_no_show(booking=booking, now=timezone.now(), reason="爽约")
    suspension = Suspension.objects.get(id_number_hash=patient.id_number_hash, hospital=hospital)
    assert (suspension.ends_at - suspension.starts_at).days == 90
    other_account = make_user()
    same_person = make_patient(other_account, name="李某", id_number=patient.id_number)
    doctor = make_doctor(hospital, department, name="新医生")
    window = first_window(make_session(doctor, department=department, fee_fen=0))
    with pytest.raises(errors.Suspended):
        book(other_account, same_person, window)


def test_no_show_marked_after_checkin_closes():
    window = first_window(make_session(fee_fen=0))
    a, pa = person()
    booking = book(a, pa, window)
    assert services.mark_no_shows(now=window.ends_at + dt.timedelta(minutes=10)) == 0  # still within grace
    assert services.mark_no_shows(now=window.ends_at + dt.timedelta(minutes=31)) == 1
    booking.refresh_from_db()
    assert booking.status == Status.NO_SHOW


def test_reminder_the_day_before_is_sent_once(sms_outbox, django_capture_on_commit_callbacks):
    day = timezone.localdate() + dt.timedelta(days=1)
    window = first_window(make_session(fee_fen=0, day=day))
    a, pa = person()
    book(a, pa, window)
    evening = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(18, 30)))
    morning = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(9, 0)))
    assert services.send_reminders(now=morning) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(now=evening) == 1
        assert services.send_reminders(now=evening) == 0
    assert a.notifications.filter(kind="reminder").count() == 1
    assert any("提醒" in m.text for m in sms_outbox)
