"""The estimated wait, and "your turn is near" sent once."""

import pytest

from tests.queue.helpers import at, book_in, ctx_for, make_clinic
from yiyun.notifications.models import Notification
from yiyun.queue import eta, selectors, services

pytestmark = pytest.mark.django_db


def test_eta_arithmetic():
    assert eta.scheduled_pace(window_minutes=30, places=5) == 6
    assert eta.scheduled_pace(window_minutes=30, places=0) == eta.DEFAULT_PACE
    assert eta.minutes_per_visit([], pace=6) == 6                         # nothing seen: the schedule
    assert eta.minutes_per_visit([4, 8], pace=6) == (4 + 8 + 3 * 6) / 5    # two seen, three at the pace
    assert eta.minutes_per_visit([10] * 7, pace=6) == 10                   # only the last five count
    assert eta.minutes_per_visit([0.1, 500, 10, 10, 10], pace=6) == (1 + 60 + 30) / 5  # clipped
    assert eta.wait_minutes(ahead=2, per_visit=6) == 12
    assert eta.wait_minutes(ahead=2, per_visit=6, current_elapsed=2) == 16
    assert eta.wait_minutes(ahead=2, per_visit=6, current_elapsed=9) == 12
    assert eta.wait_minutes(ahead=0, per_visit=6, until_start=30) == 30


def test_position_and_estimate_follow_the_doctors_real_pace():
    clinic = make_clinic()  # 30-minute windows of 4 numbers: a scheduled pace of 7.5 minutes
    bookings = [book_in(clinic) for _ in range(3)] + [book_in(clinic, 1) for _ in range(3)]
    for booking in bookings:
        services.check_in(ctx=ctx_for(booking.account), booking_id=booking.external_id, now=at(7, 30))
    doctor = ctx_for(clinic.doctor_user)
    last = bookings[-1]
    before = selectors.queue_status(booking=last, now=at(7, 30))
    assert (before.state, before.ahead, before.now_calling) == ("waiting", 5, None)
    assert before.eta_minutes == 68  # 30 minutes until the session starts + 5 × 7.5, rounded up
    for start, end in ((0, 4), (4, 12)):  # two visits: 4 and 8 minutes
        entry = services.call_next(ctx=doctor, session_id=clinic.session.external_id, now=at(8, start))
        services.finish(ctx=doctor, entry_id=entry.external_id, now=at(8, end))
    services.call_next(ctx=doctor, session_id=clinic.session.external_id, now=at(8, 12))
    status = selectors.queue_status(booking=last, now=at(8, 14))
    per_visit = (4 + 8 + 3 * 7.5) / 5  # 6.9
    assert (status.ahead, status.now_calling) == (2, 3)
    assert status.eta_minutes == 19  # ceil(2 × 6.9 + (6.9 − 2 minutes already spent with number 3))
    assert status.eta_minutes == int(2 * per_visit + (per_visit - 2)) + 1


def test_patient_sees_check_in_state_before_arriving():
    clinic = make_clinic()
    booking = book_in(clinic)
    assert selectors.queue_status(booking=booking, now=at(6, 0)).state == "too_early"
    status = selectors.queue_status(booking=booking, now=at(7, 30))
    assert status.state == "not_checked_in" and status.can_check_in
    assert status.checkin_opens_at == at(7, 0) and status.checkin_closes_at == at(9, 0)
    assert selectors.queue_status(booking=booking, now=at(9, 1)).state == "checkin_closed"


def test_turn_is_near_is_sent_once_in_app_and_by_sms(django_capture_on_commit_callbacks, sms_outbox):
    clinic = make_clinic()
    names = ["赵建国", "钱丽华", "孙志强", "周秀兰", "吴海涛"]
    bookings = [book_in(clinic, name=n) for n in names[:3]] + [book_in(clinic, 1, name=n) for n in names[3:]]
    with django_capture_on_commit_callbacks(execute=True):
        for booking in bookings:
            services.check_in(ctx=ctx_for(booking.account), booking_id=booking.external_id, now=at(7, 30))
    near = Notification.objects.filter(kind="queue_near")
    assert sorted(near.values_list("account_id", flat=True)) == sorted(b.account_id for b in bookings[:4])
    fifth = bookings[4]
    assert not near.filter(account=fifth.account).exists()   # 4 ahead: not yet
    doctor = ctx_for(clinic.doctor_user)
    with django_capture_on_commit_callbacks(execute=True):
        entry = services.call_next(ctx=doctor, session_id=clinic.session.external_id, now=at(8, 0))
    note = near.get(account=fifth.account)
    assert "前面还有3人" in note.body and note.link == f"/me/bookings/{fifth.external_id}/queue/"
    with django_capture_on_commit_callbacks(execute=True):
        services.finish(ctx=doctor, entry_id=entry.external_id, now=at(8, 5))
        services.call_next(ctx=doctor, session_id=clinic.session.external_id, now=at(8, 6))
    assert near.filter(account=fifth.account).count() == 1 and near.count() == 5
    texts = [m.text for m in sms_outbox if "即将就诊" in m.text]
    assert len(texts) == 5 and not any(name in text for name in names for text in texts)
    assert any("赵**" in text for text in texts)

