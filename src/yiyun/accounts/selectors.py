"""Reads for accounts: resolving API bearer tokens.

A resolved token is remembered in this process for `API_TOKEN_CACHE_SECONDS` (default 10 s), never past
the token's own expiry: the booking call of a flash crowd resolves the same tokens thousands of times a
second. The price is a revocation delay: a revoked token (or a deactivated account) keeps working for at
most that long in a process other than the one that revoked it; the revoking process forgets at once."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.conf import settings
from django.db import connection
from django.utils import timezone

from yiyun.accounts.models import ApiToken, User
from yiyun.core import pgsql, rawredis
from yiyun.core.localcache import TTLCache

# The user's columns an API request needs, in model order (as `Model.from_db` wants them); anything else
# loads on first access (deferred field).
_WANTED = {"id", "phone", "phone_hash", "display_name", "primary_role", "is_active", "is_staff", "is_superuser"}
_USER_FIELDS = tuple(f.attname for f in User._meta.concrete_fields if f.attname in _WANTED)
_PHONE = _USER_FIELDS.index("phone")
_ACTIVE = _USER_FIELDS.index("is_active")
_ID = _USER_FIELDS.index("id")
_tokens: TTLCache = TTLCache(ttl=settings.API_TOKEN_CACHE_SECONDS, max_items=100_000)

# Column names from the model, not input. PG_TOKEN_COLUMNS and PG_TOKEN_FROM are reused by the booking
# hot path, which reads the token and the patient in one query.
PG_TOKEN_COLUMNS = "t.expires_at, " + ", ".join("u." + name for name in _USER_FIELDS)
PG_TOKEN_FROM = ("accounts_apitoken t JOIN accounts_user u ON u.id = t.user_id",
                 "t.key_hash = %s AND t.revoked_at IS NULL AND t.expires_at > %s")
_PG_TOKEN = f"SELECT {PG_TOKEN_COLUMNS} FROM {PG_TOKEN_FROM[0]} WHERE {PG_TOKEN_FROM[1]}"  # noqa: S608


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _load(key_hash: str, now):
    """(expires_at, user column values) of a live token, or None."""
    if connection.vendor == "postgresql":
        row = pgsql.fetchone(_PG_TOKEN, [key_hash, now])
        return None if row is None else _from_pg_row(row)
    token = (ApiToken.objects.select_related("user").filter(key_hash=key_hash, revoked_at__isnull=True,
                                                            expires_at__gt=now).first())
    if token is None:
        return None
    return token.expires_at, tuple(getattr(token.user, name) for name in _USER_FIELDS)


def _from_pg_row(row) -> tuple:
    values = list(row[1:])
    values[_PHONE] = User._meta.get_field("phone").from_db_value(values[_PHONE], None, connection)
    return row[0], tuple(values)


def token_hash(raw: str) -> str:
    return _token_hash(raw)


def is_token_cached(raw: str) -> bool:
    cached = _tokens.get(_token_hash(raw))
    return cached is not None and cached[0] > timezone.now()


def remember_token(raw: str, row) -> None:
    """Cache a live token from a row of PG_TOKEN_COLUMNS (read by a caller's combined query)."""
    _tokens.set(_token_hash(raw), _from_pg_row(row))


def user_for_token(raw: str) -> User | None:
    if not raw:
        return None
    key_hash = _token_hash(raw)
    now = timezone.now()
    cached = _tokens.get(key_hash)
    if cached is None or cached[0] <= now:
        cached = _load(key_hash, now)
        if cached is None:
            _tokens.pop(key_hash)
            return None
        _tokens.set(key_hash, cached)
    expires_at, values = cached
    if not values[_ACTIVE]:
        return None
    # A fresh instance per request: callers may change it (preferences) without touching the cache.
    return User.from_db(connection.alias, _USER_FIELDS, values)


def active_account_id(raw: str) -> int | None:
    """The account id of a token this process has cached as live, for an active account; None otherwise
    (the caller then resolves the token the usual way)."""
    cached = _tokens.get(_token_hash(raw))
    if cached is None or cached[0] <= timezone.now() or not cached[1][_ACTIVE]:
        return None
    return cached[1][_ID]


def forget_token(raw: str) -> None:
    """This process, and the shared cache, stop trusting the token at once (revocation, logout)."""
    _tokens.pop(_token_hash(raw))
    if rawredis.available():
        rawredis.call("DEL", shared_token_key(raw))


# --- the shared (Redis) copy, for the booking hot path ---------------------------------------------------
# A live token's row (PG_TOKEN_COLUMNS as stored: the phone stays encrypted) is kept in Redis for as long as
# a process would cache it, so the booking call's single Redis round trip (booking.precheck) also resolves
# the token in a process that has not seen it yet. The value starts with the account id ("42|[...]"), which
# that round trip's script reads to count the per-account rate limit.
_SHARED_PREFIX = "api-token-facts:"


def shared_token_key(raw: str) -> str:
    return _SHARED_PREFIX + _token_hash(raw)


def token_blob(row) -> tuple[bytes, int] | None:
    """(value, milliseconds to keep) of a PG_TOKEN_COLUMNS row for the shared copy; None if already expired."""
    expires_at = row[0]
    keep = min(settings.API_TOKEN_CACHE_SECONDS, (expires_at - timezone.now()).total_seconds())
    if keep <= 0:
        return None
    values = [expires_at.isoformat(), *row[1:]]
    return f"{row[1 + _ID]}|{json.dumps(values, ensure_ascii=False)}".encode(), int(keep * 1000)


def remember_token_blob(raw: str, blob: bytes) -> None:
    """Cache a token in this process from its shared copy."""
    _, _, data = blob.decode().partition("|")
    values = json.loads(data)
    values[0] = dt.datetime.fromisoformat(values[0])
    _tokens.set(_token_hash(raw), _from_pg_row(values))


def forget_all_tokens() -> None:
    _tokens.clear()
