"""Queue order: on time by number, late after the window being served, missed calls requeued after N
later patients, and a no-show after the hospital's limit."""

import pytest

from tests.queue.helpers import at, book_in, ctx_for, make_clinic
from yiyun.booking.states import Status
from yiyun.queue import ordering, services
from yiyun.queue.models import QueueEntry
from yiyun.queue.states import EntryStatus

pytestmark = pytest.mark.django_db


def check_in(booking, now):
    return services.check_in(ctx=ctx_for(booking.account), booking_id=booking.external_id, now=now)


def waiting_numbers(clinic):
    return list(QueueEntry.objects.filter(session=clinic.session, status=EntryStatus.WAITING)
                .order_by("sort_key", "id").values_list("number", flat=True))


def call(clinic, now):
    return services.call_next(ctx=ctx_for(clinic.doctor_user), session_id=clinic.session.external_id, now=now)


def finish(clinic, entry, now):
    return services.finish(ctx=ctx_for(clinic.doctor_user), entry_id=entry.external_id, now=now)


def skip(clinic, entry, now):
    return services.skip(ctx=ctx_for(clinic.doctor_user), entry_id=entry.external_id, now=now)


def test_on_time_patients_are_called_by_number_whatever_order_they_arrive_in():
    clinic = make_clinic()
    one, two, three = (book_in(clinic) for _ in range(3))
    assert [b.number for b in (one, two, three)] == [1, 2, 3]
    for booking, minute in ((three, 40), (one, 45), (two, 50)):
        check_in(booking, at(7, minute))
    assert waiting_numbers(clinic) == [1, 2, 3]
    assert call(clinic, at(8, 0)).number == 1


def test_a_late_patient_goes_after_the_on_time_patients_of_the_window_being_served():
    # Window 1 (08:00–08:30) numbers 1–4, window 2 (08:30–09:00) 5–8, window 3 (09:00–09:30) 9–12.
    clinic = make_clinic()
    a, b = book_in(clinic, 0), book_in(clinic, 0)          # numbers 1, 2
    c, d, e = book_in(clinic, 1), book_in(clinic, 1), book_in(clinic, 1)  # 5, 6, 7
    f = book_in(clinic, 2)                                  # 9
    check_in(a, at(7, 50))
    check_in(c, at(8, 20))
    check_in(d, at(8, 25))
    finish(clinic, call(clinic, at(8, 5)), at(8, 30))      # number 1 seen
    assert call(clinic, at(8, 32)).number == 5              # the doctor is now serving window 2
    late_b = check_in(b, at(8, 40))                         # window 1 ended at 08:30: late
    assert late_b.late
    check_in(e, at(8, 45))                                  # number 7 arrives on time after b
    check_in(f, at(8, 50))                                  # number 9, window 3, on time
    # b goes after every on-time number of window 2 (6, 7 and the 8 nobody booked), before window 3.
    assert waiting_numbers(clinic) == [6, 7, 2, 9]


def test_late_patients_keep_their_arrival_order_and_never_gain_by_being_late():
    clinic = make_clinic(late_grace_minutes=60)
    early_window = [book_in(clinic, 0) for _ in range(2)]   # 1, 2
    second_window = [book_in(clinic, 1) for _ in range(2)]  # 5, 6
    third = book_in(clinic, 2)                              # 9
    check_in(early_window[1], at(8, 40))                    # 2 late (nobody called yet: own window)
    check_in(early_window[0], at(8, 45))                    # 1 late, after 2: first come first served
    check_in(second_window[1], at(9, 5))                    # 6 late: window 2 ended 09:00
    check_in(second_window[0], at(8, 50))                   # 5 on time
    check_in(third, at(8, 55))                              # 9 on time
    assert waiting_numbers(clinic) == [2, 1, 5, 6, 9]


def test_a_missed_call_requeues_after_n_later_patients_and_the_limit_makes_a_no_show():
    clinic = make_clinic(missed_call_requeue_after=2, max_missed_calls=2)
    bookings = [book_in(clinic, 0) for _ in range(3)] + [book_in(clinic, 1)]  # 1, 2, 3, 5
    for booking in bookings:
        check_in(booking, at(7, 45))
    first = call(clinic, at(8, 0))
    assert first.number == 1
    skipped = skip(clinic, first, at(8, 3))
    assert (skipped.status, skipped.missed_calls) == (EntryStatus.WAITING, 1)
    assert waiting_numbers(clinic) == [2, 3, 1, 5]           # after the next 2 waiting patients
    finish(clinic, call(clinic, at(8, 4)), at(8, 10))       # 2
    finish(clinic, call(clinic, at(8, 10)), at(8, 16))      # 3
    again = call(clinic, at(8, 16))
    assert again.number == 1
    gone = skip(clinic, again, at(8, 18))
    assert gone.status == EntryStatus.NO_SHOW and gone.missed_calls == 2
    gone.booking.refresh_from_db()
    assert gone.booking.status == Status.NO_SHOW
    assert waiting_numbers(clinic) == [5]


def test_a_missed_call_with_fewer_waiting_goes_to_the_end_and_never_ahead():
    clinic = make_clinic(missed_call_requeue_after=3, max_missed_calls=3)
    one, two = book_in(clinic), book_in(clinic)
    check_in(one, at(7, 50))
    check_in(two, at(7, 51))
    skip(clinic, call(clinic, at(8, 0)), at(8, 2))
    assert waiting_numbers(clinic) == [2, 1]
    skip(clinic, call(clinic, at(8, 3)), at(8, 5))           # 2 missed, only 1 waits: after it
    assert waiting_numbers(clinic) == [1, 2]


def test_a_full_gap_is_respaced_and_the_order_survives():
    clinic = make_clinic(windows=1, online=40, onsite=0, late_grace_minutes=120)
    bookings = [book_in(clinic) for _ in range(30)]
    for booking in bookings:                                 # 30 late arrivals squeezed after number 40
        check_in(booking, at(9, 0))
    assert waiting_numbers(clinic) == list(range(1, 31))     # arrival order kept across re-spacing
    keys = list(QueueEntry.objects.order_by("sort_key").values_list("sort_key", flat=True))
    assert len(set(keys)) == 30 and all(ordering.slot_of(k) == 40 for k in keys)


def test_ordering_arithmetic():
    s = ordering.SLOT
    assert ordering.key_after(3 * s, [3 * s, 5 * s]) == 3 * s + s // 2     # bounded by the next slot
    assert ordering.key_after(3 * s, [3 * s, 3 * s + 10]) == 3 * s + 5
    assert ordering.key_after(3 * s, [3 * s, 3 * s + 1]) is None
    assert ordering.late_anchor(4, [4 * s, 4 * s + 7, 9 * s]) == 4 * s + 7
    assert ordering.late_anchor(4, [9 * s]) == 4 * s
    assert ordering.requeue_anchor(waiting_keys=[2, 3, 4], after_patients=2, own_key=1) == 3
    assert ordering.requeue_anchor(waiting_keys=[], after_patients=2, own_key=1) is None
    assert ordering.requeue_anchor(waiting_keys=[0], after_patients=2, own_key=1) is None
    assert ordering.respace([3 * s, 3 * s + 1, 3 * s + 2]) == {3 * s + 1: 3 * s + s // 3, 3 * s + 2: 3 * s + 2 * (s // 3)}
