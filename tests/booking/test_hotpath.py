"""The booking call's WSGI lane (booking.hotpath) answers exactly as the django-ninja endpoint does, and
hands everything else to Django."""

from __future__ import annotations

import io
import json

import pytest
from django.core.wsgi import get_wsgi_application

from tests.factories import make_patient, make_session, make_user
from yiyun.accounts.services import issue_api_token
from yiyun.audit.models import AccessLog
from yiyun.booking import gate, hotpath
from yiyun.booking.models import Booking, BookingEvent

pytestmark = pytest.mark.django_db(transaction=True)

DJANGO = get_wsgi_application()
LANE = hotpath.wrap(DJANGO)


def call(app, body, *, token=None, key="", content_type="application/json", extra=None):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": hotpath.PATH, "QUERY_STRING": "", "SERVER_NAME": "testserver",
               "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.9.8.7", "wsgi.url_scheme": "http",
               "wsgi.input": io.BytesIO(raw), "wsgi.errors": io.StringIO(), "wsgi.multithread": True,
               "wsgi.multiprocess": True, "wsgi.run_once": False, "wsgi.version": (1, 0),
               "CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(len(raw)), "HTTP_USER_AGENT": "pytest"}
    if token:
        environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    if key:
        environ["HTTP_IDEMPOTENCY_KEY"] = key
    environ.update(extra or {})
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = int(status[:3]), headers

    body = b"".join(app(environ, start_response))
    return seen["status"], dict(seen["headers"]), json.loads(body)


def account_with_patient(name="李华"):
    account = make_user()
    return account, make_patient(account, name=name), issue_api_token(user=account)


def test_the_lane_books_with_the_same_answer_and_headers_as_django():
    window = make_session(online=4, windows=1, onsite=0).windows.get()
    (acc1, p1, t1), (_acc2, p2, t2) = account_with_patient("李华"), account_with_patient("赵敏")
    s1, h1, lane = call(LANE, {"window_id": str(window.external_id), "patient_id": str(p1.external_id)}, token=t1,
                        key="k1")
    s2, h2, django = call(DJANGO, {"window_id": str(window.external_id), "patient_id": str(p2.external_id)}, token=t2,
                          key="k2")
    assert (s1, s2) == (201, 201)
    assert set(lane) == set(django)
    same = {k for k in lane if k not in ("id", "number", "patient_id", "patient_name", "hold_expires_at")}
    assert {k: lane[k] for k in same} == {k: django[k] for k in same}
    assert lane["patient_name"] == "李华" and lane["number"] == window.first_number
    assert {k: v for k, v in h1.items() if k != "Content-Length"} == {
        k: v for k, v in h2.items() if k != "Content-Length"}
    booking = Booking.objects.get(external_id=lane["id"])
    assert BookingEvent.objects.filter(booking=booking, to_status="held").exists()
    log = AccessLog.objects.get(record_id=lane["id"], action="create")
    assert (log.actor_id, log.ip, log.user_agent, log.channel) == (acc1.pk, "10.9.8.7", "pytest", "api")


def test_sold_out_and_other_refusals_match_django():
    window = make_session(online=1, windows=1, onsite=0).windows.get()
    _, first, t0 = account_with_patient()
    assert call(LANE, {"window_id": str(window.external_id), "patient_id": str(first.external_id)}, token=t0)[0] == 201
    answers = []
    for app in (LANE, DJANGO):
        _, patient, token = account_with_patient()
        answers.append(call(app, {"window_id": str(window.external_id), "patient_id": str(patient.external_id)},
                            token=token))
    assert answers[0][0] == answers[1][0] == 409
    assert answers[0][2] == answers[1][2] and answers[0][2]["code"] == "window_full"
    # someone else's patient: 404 and a denied access-log row, from both
    intruder, _, intruder_token = account_with_patient()
    for app in (LANE, DJANGO):
        status, _, body = call(app, {"window_id": str(window.external_id), "patient_id": str(first.external_id)},
                               token=intruder_token)
        assert (status, body["code"]) == (404, "patient_not_found")
    assert AccessLog.objects.filter(actor=intruder, outcome="denied").count() == 2


def test_a_retry_on_a_sold_out_window_returns_the_booking():
    window = make_session(online=1, windows=1, onsite=0).windows.get()
    _, patient, token = account_with_patient()
    body = {"window_id": str(window.external_id), "patient_id": str(patient.external_id)}
    status, _, booked = call(LANE, body, token=token, key="retry-1")
    _, other, other_token = account_with_patient()
    assert call(LANE, {**body, "patient_id": str(other.external_id)}, token=other_token)[0] == 409
    assert gate.is_sold_out(window.pk)
    status, _, again = call(LANE, body, token=token, key="retry-1")
    assert (status, again["id"]) == (200, booked["id"])
    assert Booking.objects.count() == 1


def test_anything_unusual_goes_to_django():
    window = make_session().windows.first()
    _, patient, token = account_with_patient()
    body = {"window_id": str(window.external_id), "patient_id": str(patient.external_id)}
    # no token, or one that does not resolve: whatever Django answers (the session/CSRF fallback)
    assert call(LANE, body) == call(DJANGO, body)
    assert call(LANE, body, token="yy_unknown") == call(DJANGO, body, token="yy_unknown")
    # a body that is not the plain shape: Django's validation envelope
    status, _, answer = call(LANE, {"window_id": 5, "patient_id": str(patient.external_id)}, token=token)
    assert (status, answer["code"]) == (422, "validation_error")
    status, _, answer = call(LANE, b"{not json", token=token)
    assert status in (400, 422)
    assert hotpath.handle({"PATH_INFO": hotpath.PATH, "REQUEST_METHOD": "POST"}) is None


def test_content_language_follows_the_request_like_django():
    window = make_session(online=1, windows=1, onsite=0).windows.get()
    for app in (LANE, DJANGO):
        _, patient, token = account_with_patient()
        _, headers, _ = call(app, {"window_id": str(window.external_id), "patient_id": str(patient.external_id)},
                             token=token, extra={"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"})
        assert headers["Content-Language"] == "en"
