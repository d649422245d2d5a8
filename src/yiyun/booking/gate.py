"""The sold-out gate: once a window is known to have no free online number, further attempts are answered
from memory (this process) or Redis (all processes) without touching the database. A released number
clears the mark (the booking that takes the last number sets it); a process's own memory trusts it for at most a
second before asking Redis again.

With the mark, a process remembers which accounts hold a booking in the window (a handful: the window's
places): only they can be retrying a booking of this window with its idempotency key, so only their
attempts need the database's replay look-up."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection

from yiyun.core import pgsql
from yiyun.core.localcache import TTLCache
from yiyun.core.redis import get_redis

_LOCAL = TTLCache(ttl=1.0, max_items=50_000)
_HOLDERS = TTLCache(ttl=1.0, max_items=50_000)
_PREFIX = "soldout:"
# Short-lived: a number released while a mark is being set (a cancellation racing the last booking) stays hidden
# at most this long; after it the next attempt asks the database, which marks the window again if it is still full.
_MARK_SECONDS = 30


def mark_key(window_id: int) -> str:
    return f"{_PREFIX}{window_id}"


def remember(window_id: int, marked: bool) -> None:
    """What was just read of the mark in Redis (here or by booking.precheck), trusted here for a second."""
    if _LOCAL.get(window_id) is None:
        _HOLDERS.pop(window_id)  # reloaded with the mark
    _LOCAL.set(window_id, marked)


def is_sold_out(window_id: int) -> bool:
    local = _LOCAL.get(window_id)
    if local is not None:
        return local
    client = get_redis()
    key = mark_key(window_id)
    marked = bool(client.exists(key)) if client is not None else bool(cache.get(key))
    remember(window_id, marked)
    return marked


def may_be_replay(window_id: int, account_id: int) -> bool:
    """Whether this account holds (or held) a booking in this sold-out window. Loaded with the mark."""
    holders = _HOLDERS.get(window_id)
    if holders is None:
        holders = _load_holders(window_id)
        _HOLDERS.set(window_id, holders)
    return account_id in holders


def _load_holders(window_id: int) -> frozenset[int]:
    sql = "SELECT DISTINCT account_id FROM booking_booking WHERE window_id = %s"
    if connection.vendor == "postgresql":
        return frozenset(row[0] for row in pgsql.fetchall(sql, [window_id]))
    with connection.cursor() as cursor:
        cursor.execute(sql, [window_id])
        return frozenset(row[0] for row in cursor.fetchall())


def mark_sold_out(window_id: int) -> None:
    key = f"{_PREFIX}{window_id}"
    client = get_redis()
    if client is not None:
        client.set(key, 1, ex=_MARK_SECONDS)
    else:
        cache.set(key, 1, timeout=_MARK_SECONDS)
    _LOCAL.set(window_id, True)
    _HOLDERS.pop(window_id)


def clear(window_id: int) -> None:
    key = f"{_PREFIX}{window_id}"
    client = get_redis()
    if client is not None:
        client.delete(key)
    else:
        cache.delete(key)
    _LOCAL.pop(window_id)
    _HOLDERS.pop(window_id)


def forget_local() -> None:
    """Tests: drop this process's memory of marks."""
    _LOCAL.clear()
    _HOLDERS.clear()
