"""WebSockets: a call reaches the department screen and the patient's page; the doctor's and the
patient's sockets follow the pages' access rules. Runs on the in-memory layer (SQLite) and on the
Redis pub/sub layer when REDIS_URL is set."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connections
from django.test import Client
from django.utils import timezone

from tests.factories import make_user
from tests.queue.helpers import at, book_in, ctx_for, doctor_with_login, make_clinic, short_lived_connections
from yiyun.audit.models import AccessLog
from yiyun.config.asgi import application
from yiyun.queue import services

pytestmark = pytest.mark.django_db(transaction=True)


def cookie(user) -> bytes:
    """A logged-in session cookie (made before the event loop runs: logging in touches the database)."""
    client = Client()
    client.force_login(user, backend="yiyun.accounts.backends.PhonePasswordBackend")
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()


def socket(path: str, session_cookie: bytes | None = None) -> WebsocketCommunicator:
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if session_cookie is not None:
        headers.append((b"cookie", session_cookie))
    return WebsocketCommunicator(application, path, headers=headers)


def run(scenario):
    """Run an async scenario on a fresh event loop in its own thread: this thread may already run one
    (the browser tests' Playwright loop stays open for the whole test session)."""
    async def and_close():
        try:
            return await scenario()
        finally:  # the shared sync thread's connection, so PostgreSQL can drop the test database
            await sync_to_async(connections.close_all, thread_sensitive=True)()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, and_close()).result()


async def messages(communicator, count: int) -> list[dict]:
    return [await communicator.receive_json_from(timeout=5) for _ in range(count)]


@pytest.fixture
def frozen(monkeypatch):
    short_lived_connections(monkeypatch)
    eight = at(8, 0)
    monkeypatch.setattr(timezone, "now", lambda: eight)


def test_a_call_reaches_the_screen_the_patient_and_the_doctor(frozen):
    clinic = make_clinic()
    booking = book_in(clinic, name="王小明")
    services.check_in(ctx=ctx_for(booking.account), booking_id=booking.external_id, now=at(7, 40))
    patient_cookie, doctor_cookie = cookie(booking.account), cookie(clinic.doctor_user)

    async def scenario():
        screen = socket(f"/ws/queue/departments/{clinic.department.external_id}/")
        patient = socket(f"/ws/queue/bookings/{booking.external_id}/", patient_cookie)
        doctor = socket(f"/ws/queue/sessions/{clinic.session.external_id}/", doctor_cookie)
        for communicator in (screen, patient, doctor):
            connected, _ = await communicator.connect()
            assert connected
        await database_sync_to_async(services.call_next)(
            ctx=ctx_for(clinic.doctor_user), session_id=clinic.session.external_id, now=at(8, 0))
        on_screen, on_phone, on_desk = await asyncio.gather(messages(screen, 2), messages(patient, 2),
                                                            messages(doctor, 1))
        for communicator in (screen, patient, doctor):
            await communicator.disconnect()
        return on_screen, on_phone, on_desk

    on_screen, on_phone, on_desk = run(scenario)
    session_id = str(clinic.session.external_id)
    call = {"session": session_id, "number": 1, "name": "王*明", "doctor": "张伟",
            "room": clinic.department.location or clinic.department.name, "recall": False}
    assert on_screen == [{"event": "call", **call}, {"event": "changed", "session": session_id}]
    assert on_phone == [{"event": "called", **call}, {"event": "changed", "session": session_id}]
    assert on_desk == [{"event": "changed", "session": session_id}]


def test_sockets_follow_the_pages_access_rules(frozen):
    clinic = make_clinic()
    booking = book_in(clinic)
    _, other_doctor = doctor_with_login(clinic.hospital, clinic.department, name="李娜")
    stranger = make_user()
    attempts = ((f"/ws/queue/bookings/{booking.external_id}/", cookie(stranger)),
                (f"/ws/queue/bookings/{booking.external_id}/", None),
                (f"/ws/queue/sessions/{clinic.session.external_id}/", cookie(other_doctor)),
                (f"/ws/queue/sessions/{clinic.session.external_id}/", cookie(booking.account)),
                ("/ws/queue/departments/not-a-uuid/", None))

    async def scenario():
        refusals = []
        for path, session_cookie in attempts:
            communicator = socket(path, session_cookie)
            connected, code = await communicator.connect()
            refusals.append((connected, code))
        return refusals

    assert run(scenario) == [(False, 4404)] * 5
    assert AccessLog.objects.filter(actor=stranger, outcome="denied", record_type="booking").exists()
    assert AccessLog.objects.filter(actor=other_doctor, outcome="denied", record_type="queue_session",
                                    hospital=clinic.hospital).exists()
