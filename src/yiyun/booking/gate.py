"""The sold-out gate: once a window is known to have no free online number, further attempts are answered
from memory (this process) or Redis (all processes) without touching the database. A released number
clears the mark; a process's own memory trusts it for at most a second before asking Redis again."""

from __future__ import annotations

from django.core.cache import cache

from yiyun.core.localcache import TTLCache
from yiyun.core.redis import get_redis

_LOCAL = TTLCache(ttl=1.0, max_items=50_000)
_PREFIX = "soldout:"
_MARK_SECONDS = 6 * 3600


def is_sold_out(window_id: int) -> bool:
    local = _LOCAL.get(window_id)
    if local is not None:
        return local
    client = get_redis()
    key = f"{_PREFIX}{window_id}"
    marked = bool(client.exists(key)) if client is not None else bool(cache.get(key))
    _LOCAL.set(window_id, marked)
    return marked


def mark_sold_out(window_id: int) -> None:
    key = f"{_PREFIX}{window_id}"
    client = get_redis()
    if client is not None:
        client.set(key, 1, ex=_MARK_SECONDS)
    else:
        cache.set(key, 1, timeout=_MARK_SECONDS)
    _LOCAL.set(window_id, True)


def clear(window_id: int) -> None:
    key = f"{_PREFIX}{window_id}"
    client = get_redis()
    if client is not None:
        client.delete(key)
    else:
        cache.delete(key)
    _LOCAL.pop(window_id)


def forget_local() -> None:
    """Tests: drop this process's memory of marks."""
    _LOCAL.clear()
