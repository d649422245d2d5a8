"""Reads for accounts: resolving API bearer tokens.

A resolved token is remembered in this process for `API_TOKEN_CACHE_SECONDS` (default 10 s), never past
the token's own expiry: the booking call of a flash crowd resolves the same tokens thousands of times a
second. The price is a revocation delay: a revoked token (or a deactivated account) keeps working for at
most that long in a process other than the one that revoked it; the revoking process forgets at once."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import connection
from django.utils import timezone

from yiyun.accounts.models import ApiToken, User
from yiyun.core.localcache import TTLCache

# The user's columns an API request needs, in model order (as `Model.from_db` wants them); anything else
# loads on first access (deferred field).
_WANTED = {"id", "phone", "phone_hash", "display_name", "primary_role", "is_active", "is_staff", "is_superuser"}
_USER_FIELDS = tuple(f.attname for f in User._meta.concrete_fields if f.attname in _WANTED)
_PHONE = _USER_FIELDS.index("phone")
_ACTIVE = _USER_FIELDS.index("is_active")
_tokens: TTLCache = TTLCache(ttl=settings.API_TOKEN_CACHE_SECONDS, max_items=100_000)

_PG_TOKEN = """
SELECT t.expires_at, {columns}
FROM accounts_apitoken t JOIN accounts_user u ON u.id = t.user_id
WHERE t.key_hash = %s AND t.revoked_at IS NULL AND t.expires_at > %s
""".format(columns=", ".join("u." + name for name in _USER_FIELDS))  # column names from the model, not input


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _load(key_hash: str, now):
    """(expires_at, user column values) of a live token, or None."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_PG_TOKEN, [key_hash, now])
            row = cursor.fetchone()
        if row is None:
            return None
        values = list(row[1:])
        values[_PHONE] = User._meta.get_field("phone").from_db_value(values[_PHONE], None, connection)
        return row[0], tuple(values)
    token = (ApiToken.objects.select_related("user").filter(key_hash=key_hash, revoked_at__isnull=True,
                                                            expires_at__gt=now).first())
    if token is None:
        return None
    return token.expires_at, tuple(getattr(token.user, name) for name in _USER_FIELDS)


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


def forget_token(raw: str) -> None:
    """This process stops trusting the token at once (revocation, logout)."""
    _tokens.pop(_token_hash(raw))


def forget_all_tokens() -> None:
    _tokens.clear()
