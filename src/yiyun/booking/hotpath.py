"""`POST /api/v1/bookings` with a bearer token, answered straight from WSGI.

On a release morning this one call takes thousands of requests a second, most of them answered "已约满".
Django's request/response cycle, the middleware chain and django-ninja's parsing and validation cost more
CPU than the booking itself, so this lane does only what the call needs: it reads the bearer token and the
JSON body, calls the same `booking.services.book` (every rule, the claim, the access-log and event rows are
there), and writes the same answer (`booking.api.created_booking_out` or the error envelope) with the same
headers Django's middleware would add. Anything it does not recognise as the plain case — no bearer token,
a token that does not resolve, a body that is not `{"window_id": str, "patient_id": str}` as JSON — goes
to Django untouched, so the answers for those stay Django's own. See docs/adr/0001-booking-hot-path.md.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache

from django.conf import settings
from django.db import close_old_connections
from django.utils import translation
from ninja.responses import NinjaJSONEncoder

from yiyun.audit.models import AccessLog
from yiyun.audit.services import AccessContext
from yiyun.core.errors import DomainError
from yiyun.core.net import client_ip

PATH = "/api/v1/bookings"
logger = logging.getLogger("yiyun.api")
_encoder = NinjaJSONEncoder(ensure_ascii=False)  # the API renderer's encoder and options (core.apikit)
_REASONS = {200: "OK", 201: "Created", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
            404: "Not Found", 409: "Conflict", 422: "Unprocessable Content", 429: "Too Many Requests",
            500: "Internal Server Error"}


def wrap(django_app):
    """The WSGI application: this lane for the booking call, Django for everything else."""

    def application(environ, start_response):
        if environ.get("PATH_INFO") == PATH and environ.get("REQUEST_METHOD") == "POST":
            answer = handle(environ)
            if answer is not None:
                status, headers, body = answer
                start_response(status, headers)
                return [body]
        return django_app(environ, start_response)

    return application


class _Meta:
    """What `core.net.client_ip` reads from a request."""

    __slots__ = ("META",)

    def __init__(self, environ) -> None:
        self.META = environ


def _parse(environ) -> tuple[str, str, str] | None:
    """(token, window_id, patient_id) for the plain case, else None (Django answers)."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    if not auth.startswith("Bearer ") or not environ.get("CONTENT_TYPE", "").startswith("application/json"):
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if length <= 0 or length > 4096:
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = _Replay(body)  # Django can still read it if we hand over
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    window_id, patient_id = data.get("window_id"), data.get("patient_id")
    if not isinstance(window_id, str) or not isinstance(patient_id, str):
        return None
    return auth[7:].strip(), window_id, patient_id


class _Replay:
    """A read body, readable again by Django."""

    def __init__(self, body: bytes) -> None:
        import io

        self._stream = io.BytesIO(body)

    def read(self, *args):
        return self._stream.read(*args)

    def readline(self, *args):
        return self._stream.readline(*args)


@lru_cache(maxsize=256)
def _language(cookie_language: str, accept: str) -> str:
    """The language LocaleMiddleware would activate (for Content-Language)."""
    from django.utils.translation import trans_real

    if cookie_language:
        try:
            return translation.get_supported_language_variant(cookie_language)
        except LookupError:
            pass
    for code, _ in trans_real.parse_accept_lang_header(accept):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def _cookie_language(environ) -> str:
    raw = environ.get("HTTP_COOKIE", "")
    if not raw or settings.LANGUAGE_COOKIE_NAME not in raw:
        return ""
    from django.http.cookie import parse_cookie

    return parse_cookie(raw).get(settings.LANGUAGE_COOKIE_NAME, "")


def _answer(environ, status: int, data, extra: dict[str, str] | None = None):
    body = _encoder.encode(data).encode()
    headers = [("Content-Type", "application/json; charset=utf-8"), ("X-Frame-Options", "DENY"),
               ("Content-Length", str(len(body))), ("Vary", "Accept-Language"),
               ("Content-Language", _language(_cookie_language(environ), environ.get("HTTP_ACCEPT_LANGUAGE", ""))),
               ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", settings.SECURE_REFERRER_POLICY),
               ("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY)]
    for name, value in (extra or {}).items():
        headers.append((name, str(value)))
    return f"{status} {_REASONS.get(status, '')}", headers, body


def handle(environ):
    """(status line, headers, body), or None when Django should answer."""
    parsed = _parse(environ)
    if parsed is None:
        return None
    token, window_id, patient_id = parsed
    from yiyun.accounts.selectors import active_account_id, user_for_token
    from yiyun.booking import precheck, services
    from yiyun.booking.api import created_booking_out

    close_old_connections()  # what Django's request_started signal does for the database
    try:
        ip = client_ip(_Meta(environ))
        # One Redis round trip: the token and patient (shared copies), the sold-out mark, the rate limits.
        counted = (precheck.run(token=token, window_id=window_id, patient_id=patient_id, ip=ip)
                   if precheck.enabled() else None)
        key = environ.get("HTTP_IDEMPOTENCY_KEY", "")
        if counted is not None and (account_id := active_account_id(token)) is not None:
            # Most attempts of a flash crowd: "已约满" (or 429) is known from the round trip and the caches.
            try:
                refusal = services.sold_out_refusal(counted=counted, account_id=account_id, patient_id=patient_id,
                                                    ip=ip, idempotency_key=key)
            except DomainError as error:
                return _answer(environ, error.status, error.envelope(), error.headers)
            if refusal is not None:
                return _answer(environ, refusal.status, refusal.envelope(), refusal.headers)
        user = user_for_token(token)
        if user is None:
            return None  # 401 (or the session cookie) is Django's to answer
        ctx = AccessContext(actor=user, channel=AccessLog.Channel.API, ip=ip,
                            user_agent=(environ.get("HTTP_USER_AGENT", "") or "")[:200], path=PATH)
        try:
            result = services.book(ctx=ctx, patient_id=patient_id, window_id=window_id, idempotency_key=key,
                                   precheck=counted)
        except DomainError as error:
            return _answer(environ, error.status, error.envelope(), error.headers)
        if result.created:
            return _answer(environ, 201, created_booking_out(result))
        # A retried key: read the booking back (logging the view), as the Django endpoint does.
        from yiyun.booking.api import booking_out
        from yiyun.booking.selectors import access_booking

        return _answer(environ, 200, booking_out(access_booking(ctx=ctx, external_id=result.external_id)))
    except Exception:
        logger.exception("unhandled API error on %s", PATH)
        return _answer(environ, 500, DomainError("服务暂时不可用，请稍后重试", "Internal error, please retry",
                                                 code="internal_error", status=500).envelope())
    finally:
        close_old_connections()  # and its request_finished signal
