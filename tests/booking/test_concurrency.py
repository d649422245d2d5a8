"""Flash-crowd correctness: many simultaneous bookings for few places.

On PostgreSQL the attempts come from several worker processes, as in production; on SQLite (the embedded
default) from threads of one process, which is how the demo server runs."""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter

import pytest
from django.db import connection, connections

from tests.factories import make_patient, make_session, make_user
from yiyun.audit.services import AccessContext
from yiyun.booking import errors, facts, gate, services
from yiyun.booking.models import Booking, Ticket
from yiyun.booking.states import ACTIVE

pytestmark = pytest.mark.django_db(transaction=True)

PLACES = 6
ATTEMPTS = 24


def _attempt(account_id: int, patient_key: str, window_key: str, key: str) -> str:
    from yiyun.accounts.models import User

    user = User.objects.get(pk=account_id)
    try:
        result = services.book(ctx=AccessContext(actor=user, channel="api", ip=f"10.1.{account_id % 250}.1"),
                               patient_id=patient_key, window_id=window_key, idempotency_key=key)
        return f"booked:{result.number}" if result.created else "replay"
    except errors.WindowFull:
        return "full"
    except errors.DuplicateBooking:
        return "duplicate"


def _worker(jobs, results):
    connections.close_all()  # a forked child opens its own connections
    facts.forget_all()
    gate.forget_local()
    for job in jobs:
        results.put(_attempt(*job))
    connections.close_all()


def _crowd(n: int, same_patient_every: int = 0):
    window = make_session(online=PLACES, windows=1, onsite=0, fee_fen=0).windows.get()
    jobs = []
    shared = None
    for i in range(n):
        if same_patient_every and i % same_patient_every == 0:
            if shared is None:
                account = make_user()
                shared = (account, make_patient(account, name="同一患者"))
            account, patient = shared
        else:
            account = make_user()
            patient = make_patient(account, name=f"患者{chr(0x4e00 + i)}")
        jobs.append((account.pk, str(patient.external_id), str(window.external_id), f"key-{i}"))
    return window, jobs


def _check(window, outcomes):
    booked = [o for o in outcomes if o.startswith("booked:")]
    assert len(booked) == min(ATTEMPTS, PLACES)
    numbers = [int(o.split(":")[1]) for o in booked]
    assert len(set(numbers)) == len(numbers)  # no number twice
    rows = Booking.objects.filter(window=window, status__in=ACTIVE)
    assert rows.count() == len(booked)  # every accepted booking is in the database
    assert sorted(rows.values_list("number", flat=True)) == sorted(numbers)
    per_patient_day = Counter(rows.values_list("patient_id", "doctor_id", "visit_date"))
    assert max(per_patient_day.values()) == 1
    assert Ticket.objects.filter(window=window, booking__isnull=False).count() == len(booked)
    assert set(outcomes) <= {"full", "duplicate"} | set(booked)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="multi-process test needs a server database")
def test_processes_racing_for_few_places_on_postgres():
    window, jobs = _crowd(ATTEMPTS, same_patient_every=4)
    ctx = multiprocessing.get_context("fork")
    results = ctx.Queue()
    connections.close_all()
    workers = [ctx.Process(target=_worker, args=(jobs[i::4], results)) for i in range(4)]
    for w in workers:
        w.start()
    outcomes = [results.get(timeout=60) for _ in jobs]
    for w in workers:
        w.join(timeout=30)
        assert w.exitcode == 0
    _check(window, outcomes)
    assert "duplicate" in outcomes or Counter(outcomes)["full"] >= ATTEMPTS - PLACES - 6


def test_threads_racing_for_few_places():
    window, jobs = _crowd(ATTEMPTS, same_patient_every=5)
    outcomes: list[str] = []
    barrier = threading.Barrier(8)

    def run(chunk):
        barrier.wait()
        try:
            for job in chunk:
                outcomes.append(_attempt(*job))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(jobs[i::8],)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(outcomes) == ATTEMPTS
    _check(window, outcomes)
