"""The demo queue: 张伟's sessions today get booked and checked-in patients, the same ones every run."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import make_department, make_hospital, make_session
from tests.queue.helpers import doctor_with_login
from yiyun.accounts.models import User, phone_lookup
from yiyun.booking.models import Booking
from yiyun.booking.states import Status
from yiyun.demo.queue_seed import seed_queue_demo
from yiyun.queue.models import QueueEntry
from yiyun.queue.states import EntryStatus

pytestmark = pytest.mark.django_db


def snapshot():
    return sorted(QueueEntry.objects.values_list("booking__patient__name", "number", "late", "sort_key",
                                                 "checked_in_at", "booking__external_id"))


def test_seed_queue_demo_fills_todays_sessions_and_is_idempotent():
    hospital = make_hospital()
    department = make_department(hospital)
    doctor, user = doctor_with_login(hospital, department)
    user.phone_hash = phone_lookup("13900000001")
    user.save(update_fields=["phone_hash"])
    today = timezone.localdate()
    sessions = [make_session(doctor, department=department, day=today, fee_fen=1500, windows=8, online=4,
                             onsite=1, period=period, start=start)
                for period, start in (("am", dt.time(8, 0)), ("pm", dt.time(13, 30)))]
    assert seed_queue_demo() == 6
    first = snapshot()
    assert seed_queue_demo() == 6
    assert snapshot() == first
    morning = QueueEntry.objects.filter(session=sessions[0], status=EntryStatus.WAITING).order_by("sort_key")
    assert [(e.booking.patient.name, e.number, e.late) for e in morning] == [
        ("赵建国", 1, False), ("孙丽华", 2, False), ("周志强", 3, True)]
    assert Booking.objects.filter(status=Status.CONFIRMED, session__in=sessions).count() == 2  # booked, not here
    assert Booking.objects.filter(session__in=sessions).count() == 8
    assert User.objects.filter(phone_hash=phone_lookup("13800000101")).exists()
