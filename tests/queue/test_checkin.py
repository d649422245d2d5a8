"""Check-in from the phone: the hospital's time window (edges included), idempotency, who may."""

import datetime as dt

import pytest

from tests.factories import make_session, make_user
from tests.queue.helpers import at, book_in, ctx_for, make_clinic
from yiyun.audit.models import AccessLog
from yiyun.booking.errors import BookingNotFound
from yiyun.booking.models import BookingEvent
from yiyun.booking.states import Status
from yiyun.queue import services
from yiyun.queue.errors import CheckInClosed, CheckInNotAllowed, CheckInNotOpen, NotPaid
from yiyun.queue.models import QueueEntry

pytestmark = pytest.mark.django_db


def check_in(booking, now):
    return services.check_in(ctx=ctx_for(booking.account), booking_id=booking.external_id, now=now)


def test_check_in_opens_at_the_policy_minutes_before_the_window_and_not_a_second_earlier():
    clinic = make_clinic(checkin_opens_minutes=60)  # window 1: 08:00–08:30
    booking = book_in(clinic)
    with pytest.raises(CheckInNotOpen) as refused:
        check_in(booking, at(6, 59, 59))
    error = refused.value
    assert (error.status, error.code) == (409, "checkin_not_open")
    assert error.message == "07:00起可签到" and error.message_en == "Check-in opens at 07:00"
    assert QueueEntry.objects.count() == 0
    entry = check_in(booking, at(7, 0))
    booking.refresh_from_db()
    assert booking.status == Status.CHECKED_IN and entry.late is False and entry.number == booking.number


def test_check_in_at_the_window_end_is_on_time_and_after_it_late_until_the_grace_ends():
    clinic = make_clinic(online=4, late_grace_minutes=30)  # window 1 ends 08:30; grace until 09:00
    on_time, late, last_second, too_late = (book_in(clinic) for _ in range(4))
    assert check_in(on_time, at(8, 30)).late is False
    assert check_in(late, at(8, 30, 1)).late is True
    assert check_in(last_second, at(9, 0)).late is True
    with pytest.raises(CheckInClosed) as refused:
        check_in(too_late, at(9, 0, 1))
    assert refused.value.code == "checkin_closed" and "09:00" in refused.value.message
    too_late.refresh_from_db()
    assert too_late.status == Status.CONFIRMED


def test_checking_in_twice_returns_the_same_entry_and_changes_nothing():
    clinic = make_clinic()
    booking = book_in(clinic)
    first = check_in(booking, at(7, 50))
    again = check_in(booking, at(7, 55))
    after_close = check_in(booking, at(10, 0))  # a retry after check-in closed still answers
    assert first.pk == again.pk == after_close.pk
    assert QueueEntry.objects.filter(booking=booking).count() == 1
    assert BookingEvent.objects.filter(booking=booking, to_status=Status.CHECKED_IN).count() == 1
    assert QueueEntry.objects.get(pk=first.pk).checked_in_at == at(7, 50)


def test_an_unpaid_booking_must_be_paid_first():
    clinic = make_clinic()
    session = make_session(clinic.doctor, department=clinic.department, day=clinic.session.date, fee_fen=1500,
                           period="pm", start=dt.time(14, 0))
    clinic.windows = list(session.windows.order_by("starts_at"))
    booking = book_in(clinic)
    assert booking.status == Status.HELD
    with pytest.raises(NotPaid) as refused:
        check_in(booking, at(13, 30))
    assert refused.value.code == "booking_not_paid"


def test_a_cancelled_booking_cannot_check_in():
    clinic = make_clinic()
    booking = book_in(clinic)
    from yiyun.booking import services as booking_services

    booking_services.cancel(ctx=ctx_for(booking.account), booking_id=booking.external_id, now=at(5, 0))
    with pytest.raises(CheckInNotAllowed):
        check_in(booking, at(7, 30))


def test_only_the_bookings_account_can_check_in_and_others_are_logged_denied():
    clinic = make_clinic()
    booking = book_in(clinic)
    stranger = make_user()
    with pytest.raises(BookingNotFound):
        services.check_in(ctx=ctx_for(stranger), booking_id=booking.external_id, now=at(7, 30))
    assert AccessLog.objects.filter(actor=stranger, outcome="denied", record_id=str(booking.external_id)).exists()
    assert not QueueEntry.objects.exists()
