"""The doctor's buttons and what they change, and who may press them."""

import datetime as dt

import pytest

from tests.factories import make_user
from tests.queue.helpers import at, book_in, ctx_for, doctor_with_login, make_clinic
from yiyun.audit.models import AccessLog
from yiyun.booking.models import BookingEvent
from yiyun.booking.states import Status
from yiyun.queue import selectors, services
from yiyun.queue.errors import (
    CurrentNotFinished,
    EntryNotCalled,
    EntryNotFound,
    NotADoctor,
    QueueEmpty,
    SessionNotFound,
)
from yiyun.queue.models import QueueEvent
from yiyun.queue.states import EntryStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy():
    clinic = make_clinic()
    bookings = [book_in(clinic, name=name) for name in ("王小明", "李秀英", "陈静")]
    for booking in bookings:
        services.check_in(ctx=ctx_for(booking.account), booking_id=booking.external_id, now=at(7, 40))
    return clinic, bookings


def test_call_recall_finish_move_the_entry_and_the_booking(busy):
    clinic, bookings = busy
    doctor = ctx_for(clinic.doctor_user)
    entry = services.call_next(ctx=doctor, session_id=clinic.session.external_id, now=at(8, 0))
    assert (entry.status, entry.called_at, entry.call_count) == (EntryStatus.CALLED, at(8, 0), 1)
    with pytest.raises(CurrentNotFinished):
        services.call_next(ctx=doctor, session_id=clinic.session.external_id, now=at(8, 1))
    again = services.recall(ctx=doctor, entry_id=entry.external_id, now=at(8, 2))
    assert (again.status, again.call_count) == (EntryStatus.CALLED, 2)
    done = services.finish(ctx=doctor, entry_id=entry.external_id, now=at(8, 7))
    assert done.status == EntryStatus.DONE and done.visit_minutes == 7
    booking = bookings[0]
    booking.refresh_from_db()
    assert booking.status == Status.COMPLETED and booking.completed_at == at(8, 7)
    assert list(BookingEvent.objects.filter(booking=booking).values_list("to_status", flat=True)) == [
        "confirmed", "checked_in", "completed"]
    assert list(QueueEvent.objects.filter(entry=entry).values_list("action", flat=True)) == [
        "check_in", "call", "recall", "finish"]
    with pytest.raises(EntryNotCalled):
        services.finish(ctx=doctor, entry_id=entry.external_id, now=at(8, 8))
    assert services.call_next(ctx=doctor, session_id=clinic.session.external_id, now=at(8, 8)).number == 2


def test_buttons_refuse_entries_that_are_not_being_called_and_an_empty_queue(busy):
    clinic, _ = busy
    doctor = ctx_for(clinic.doctor_user)
    view = selectors.session_queue(ctx=doctor, session=clinic.session, now=at(8, 0))
    waiting = view.waiting[0]
    for action in (services.recall, services.skip, services.finish):
        with pytest.raises(EntryNotCalled) as refused:
            action(ctx=doctor, entry_id=waiting.id, now=at(8, 0))
        assert refused.value.status == 409
    for minute in (0, 10, 20):
        entry = services.call_next(ctx=doctor, session_id=clinic.session.external_id, now=at(8, minute))
        services.finish(ctx=doctor, entry_id=entry.external_id, now=at(8, minute + 5))
    with pytest.raises(QueueEmpty) as empty:
        services.call_next(ctx=doctor, session_id=clinic.session.external_id, now=at(8, 30))
    assert empty.value.code == "queue_empty"


def test_a_doctor_sees_only_their_own_sessions_today_and_others_get_404_logged(busy):
    clinic, _ = busy
    other, other_user = doctor_with_login(clinic.hospital, clinic.department, name="李娜")
    with pytest.raises(SessionNotFound):
        selectors.access_doctor_session(ctx=ctx_for(other_user), session_id=clinic.session.external_id, now=at(8))
    denied = AccessLog.objects.get(actor=other_user, outcome="denied")
    assert (denied.record_type, denied.record_id, denied.hospital_id) == (
        "queue_session", str(clinic.session.external_id), other.hospital_id)
    entry = services.call_next(ctx=ctx_for(clinic.doctor_user), session_id=clinic.session.external_id, now=at(8))
    with pytest.raises(EntryNotFound):
        services.finish(ctx=ctx_for(other_user), entry_id=entry.external_id, now=at(8, 5))
    assert AccessLog.objects.filter(actor=other_user, outcome="denied", record_type="queue_entry",
                                    patient=entry.booking.patient_id).exists()
    with pytest.raises(NotADoctor) as not_doctor:
        selectors.access_doctor_session(ctx=ctx_for(make_user()), session_id=clinic.session.external_id, now=at(8))
    assert not_doctor.value.status == 403
    with pytest.raises(SessionNotFound):  # own session, but not today: the queue exists on the day only
        selectors.access_doctor_session(ctx=ctx_for(clinic.doctor_user), session_id=clinic.session.external_id,
                                        now=at(8) + dt.timedelta(days=1))


def test_the_doctors_view_logs_every_patient_shown_with_the_hospital(busy):
    clinic, bookings = busy
    session, _, dctx = selectors.access_doctor_session(ctx=ctx_for(clinic.doctor_user, channel="page"),
                                                       session_id=clinic.session.external_id, now=at(8))
    view = selectors.session_queue(ctx=dctx, session=session, now=at(8, 10))
    assert [row.number for row in view.waiting] == [1, 2, 3]
    first = view.waiting[0]
    expected_age = bookings[0].patient.age_on(at(8).date())
    assert (first.name, first.sex, first.age, first.waiting_minutes, first.late) == (
        "王小明", "男", expected_age, 30, False)
    logged = AccessLog.objects.filter(actor=clinic.doctor_user, action="list", record_type="queue")
    assert sorted(logged.values_list("patient_id", flat=True)) == sorted(b.patient_id for b in bookings)
    assert set(logged.values_list("hospital_id", flat=True)) == {clinic.hospital.pk}


def test_todays_sessions_count_what_the_doctor_needs(busy):
    clinic, _ = busy
    services.call_next(ctx=ctx_for(clinic.doctor_user), session_id=clinic.session.external_id, now=at(8))
    (session,) = selectors.todays_sessions(doctor=clinic.doctor, now=at(8, 1))
    assert (session.booked, session.waiting, session.done, session.calling) == (3, 2, 0, 1)
