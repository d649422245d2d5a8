"""The booking lane's single Redis round trip (booking.precheck), on the production backends: the shared
copies of a token and a patient serve a worker that has not seen them, revocation reaches them at once,
and each attempt counts against the rate limits exactly once."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from tests.booking.test_hotpath import DJANGO, LANE, account_with_patient, call
from tests.factories import make_session
from yiyun.accounts import selectors as tokens
from yiyun.accounts.models import ApiToken
from yiyun.accounts.services import revoke_api_token
from yiyun.booking import facts, gate, precheck
from yiyun.core import rawredis

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _production_backends():
    if not (django_settings.REDIS_URL.startswith("redis://") and connection.vendor == "postgresql"):
        pytest.skip("the precheck runs only on PostgreSQL + Redis (the suite's second backend run covers it)")
    assert precheck.enabled()


def cold_process():
    """As if the next attempt came to another worker: nothing of this process's caches."""
    tokens.forget_all_tokens()
    facts.forget_all()
    gate.forget_local()


def test_a_cold_worker_resolves_token_and_patient_from_the_shared_copies():
    session = make_session(online=4, windows=2, onsite=0)
    first, second = session.windows.order_by("starts_at")
    account, patient, token = account_with_patient()
    status, _, booked = call(LANE, {"window_id": str(first.external_id), "patient_id": str(patient.external_id)},
                             token=token, key="a1")
    assert status == 201
    assert rawredis.call("EXISTS", tokens.shared_token_key(token)) == 1
    assert rawredis.call("EXISTS", facts.shared_patient_key(patient.external_id)) == 1
    assert rawredis.call("GET", tokens.shared_token_key(token)).startswith(f"{account.pk}|".encode())
    # The shared copy carries no plain phone number.
    assert account.phone.encode() not in rawredis.call("GET", tokens.shared_token_key(token))

    # Revoked in the database behind the caches' back: a cold worker still trusts the shared copy, for at
    # most API_TOKEN_CACHE_SECONDS, as a warm worker trusts its own cache.
    ApiToken.objects.filter(user=account).update(revoked_at=timezone.now())
    cold_process()
    body = {"window_id": str(second.external_id), "patient_id": str(patient.external_id)}
    status, _, answer = call(LANE, body, token=token, key="a2")
    assert (status, answer["code"]) == (409, "duplicate_booking")  # resolved (not 401), then the booking rules

    # Revocation through the service reaches the shared copy at once.
    ApiToken.objects.filter(user=account).update(revoked_at=None)
    revoke_api_token(raw=token)
    assert rawredis.call("EXISTS", tokens.shared_token_key(token)) == 0
    cold_process()
    status, _, answer = call(LANE, body, token=token, key="a3")
    assert (status, answer) == call(DJANGO, body, token=token, key="a3")[::2]  # Django's refusal of a bad token
    assert status in (401, 403)


def test_each_attempt_counts_once_against_the_rate_limits(settings):
    settings.BOOKING_RATE_PER_PATIENT = (3, 60)
    window = make_session(online=1, windows=1, onsite=0).windows.get()
    _, owner, owner_token = account_with_patient()
    assert call(LANE, {"window_id": str(window.external_id), "patient_id": str(owner.external_id)},
                token=owner_token)[0] == 201
    _, patient, token = account_with_patient()
    body = {"window_id": str(window.external_id), "patient_id": str(patient.external_id)}
    codes = []
    for attempt in range(4):
        if attempt == 2:
            cold_process()  # one attempt through a cold worker: the shared copies, still one count
        status, headers, answer = call(LANE, body, token=token)
        codes.append((status, answer["code"]))
    assert codes[:3] == [(409, "window_full")] * 3
    assert codes[3] == (429, "rate_limited")
    assert int(headers["Retry-After"]) >= 1


def test_the_sold_out_mark_comes_with_the_round_trip():
    window = make_session(online=1, windows=1, onsite=0).windows.get()
    _, owner, owner_token = account_with_patient()
    assert call(LANE, {"window_id": str(window.external_id), "patient_id": str(owner.external_id)},
                token=owner_token)[0] == 201
    _, late, late_token = account_with_patient()
    assert call(LANE, {"window_id": str(window.external_id), "patient_id": str(late.external_id)},
                token=late_token)[0] == 409  # finds it full in the database: marks it
    assert rawredis.call("EXISTS", gate.mark_key(window.pk)) == 1
    cold_process()
    _, patient, token = account_with_patient()
    found = precheck.run(token=token, window_id=str(window.external_id), patient_id=str(patient.external_id),
                         ip="10.0.0.1")
    assert found.sold_out and found.window.id == window.pk
    assert found.counts is None  # the token was not shared yet: services.book counts the rates
    again = precheck.run(token=token, window_id=str(window.external_id), patient_id=str(patient.external_id),
                         ip="10.0.0.1")
    assert again.counts == (1, 1, 1)
    assert precheck.run(token=token, window_id="not-a-uuid", patient_id=str(patient.external_id), ip="") is None


def _sold_out_window():
    window = make_session(online=1, windows=1, onsite=0).windows.get()
    for _ in range(2):  # the first books the place, the second finds it full and marks the window
        _, patient, token = account_with_patient()
        call(LANE, {"window_id": str(window.external_id), "patient_id": str(patient.external_id)}, token=token)
    assert rawredis.call("EXISTS", gate.mark_key(window.pk)) == 1
    return window


def test_a_sold_out_answer_from_the_round_trip_is_the_one_book_gives(monkeypatch):
    window = _sold_out_window()
    _, patient, token = account_with_patient()
    body = {"window_id": str(window.external_id), "patient_id": str(patient.external_id)}
    first = call(LANE, body, token=token, key="k-1")  # first sight: book() decides (and shares the token)
    from yiyun.booking import services

    def must_not_run(**kwargs):
        raise AssertionError("the sold-out answer should come from the round trip")

    monkeypatch.setattr(services, "book", must_not_run)
    cold_process()
    fast = call(LANE, body, token=token, key="k-2")
    assert fast[0] == first[0] == 409 and fast[2] == first[2] and fast[2]["code"] == "window_full"
    assert fast[1] == first[1] | {"Content-Length": fast[1]["Content-Length"]}
    monkeypatch.undo()
    assert fast[2] == call(DJANGO, body, token=token, key="k-3")[2]


def test_anything_but_a_plain_sold_out_answer_still_goes_through_book(monkeypatch, settings):
    window = _sold_out_window()
    account, patient, token = account_with_patient()
    body = {"window_id": str(window.external_id), "patient_id": str(patient.external_id)}
    call(LANE, body, token=token)  # shares the token
    # An unverified patient: book's own answer, identical to Django's.
    type(patient).objects.filter(pk=patient.pk).update(verified_at=None)
    cold_process()
    rawredis.call("DEL", facts.shared_patient_key(patient.external_id))  # as after BOOKING_FACTS_TTL
    lane = call(LANE, body, token=token)
    assert (lane[0], lane[2]["code"]) == (403, "patient_not_verified")
    assert lane[2] == call(DJANGO, body, token=token)[2]
    # Over the per-patient limit: 429 with Retry-After from the fast path too.
    type(patient).objects.filter(pk=patient.pk).update(verified_at=timezone.now())
    settings.BOOKING_RATE_PER_PATIENT = (1, 60)
    status, headers, answer = call(LANE, body, token=token)
    assert (status, answer["code"]) == (429, "rate_limited") and int(headers["Retry-After"]) >= 1
