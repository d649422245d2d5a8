"""Fixed-window rate limits. With Redis (production) all counters of one call go in one round trip (one
Lua script: INCR, then EXPIRE NX, per key — one command to pack and one reply to parse, which is cheaper
for the client than a pipeline of 2×N) and hold across workers; without it they live in the
process-local cache (the embedded demo)."""

from __future__ import annotations

import time
from collections.abc import Sequence

from django.core.cache import cache

from yiyun.core import rawredis
from yiyun.core.errors import RateLimited
from yiyun.core.redis import get_redis

Limit = tuple[str, str, int, int]  # (scope, identity, limit, window seconds)
_PREFIX = "rl:"
_HIT_SCRIPT = """
local counts = {}
for i, key in ipairs(KEYS) do
    counts[i] = redis.call('INCR', key)
    redis.call('EXPIRE', key, ARGV[i], 'NX')
end
return counts
"""
_RAW_HIT = rawredis.Script(_HIT_SCRIPT)
_scripts: dict[int, object] = {}


def _hit_script(client):
    script = _scripts.get(id(client))
    if script is None:
        script = _scripts[id(client)] = client.register_script(_HIT_SCRIPT)
    return script


def _key(scope: str, ident: str, window: int, now: float) -> tuple[str, int]:
    index = int(now // window)
    retry_after = int((index + 1) * window - now) + 1
    return f"{_PREFIX}{scope}:{ident}:{window}:{index}", retry_after


def rate_key(scope: str, ident: str, window: int, now: float) -> str:
    """The counter's key for this window of time (for a caller that counts it in its own script)."""
    return _key(scope, ident, window, now)[0]


def key_around(scope: str, window: int, now: float) -> tuple[str, str]:
    """(prefix, suffix) of a counter's key around its identity, for a caller (a Lua script) that learns the
    identity only inside Redis."""
    key, _ = _key(scope, "\x00", window, now)
    prefix, suffix = key.split("\x00")
    return prefix, suffix


def check_counts(limits: Sequence[Limit], counts: Sequence[int], *, now: float) -> None:
    """Raise RateLimited with the longest wait if a count (made by the caller) exceeds its limit."""
    waits = [_key(scope, ident, window, now)[1]
             for (scope, ident, limit, window), count in zip(limits, counts, strict=True) if count > limit]
    if waits:
        raise RateLimited(max(waits))


def _incr_local(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window + 1)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        return 1


def hit_many(limits: Sequence[Limit], *, now: float | None = None) -> None:
    """Count one event against each limit; raise RateLimited with the longest wait if any is exceeded."""
    now = time.time() if now is None else now
    keys = [_key(scope, ident, window, now)[0] for scope, ident, _, window in limits]
    expiries = [window + 1 for *_, window in limits]
    if rawredis.available():
        counts = _RAW_HIT(keys, expiries)
    elif (client := get_redis()) is not None:
        counts = _hit_script(client)(keys=keys, args=expiries)
    else:
        counts = [_incr_local(key, window) for key, (_, _, _, window) in zip(keys, limits, strict=True)]
    check_counts(limits, counts, now=now)


def hit(scope: str, ident: str, *, limit: int, window: int, now: float | None = None) -> None:
    hit_many([(scope, ident, limit, window)], now=now)


def exceeded(scope: str, ident: str, *, limit: int, window: int, now: float | None = None) -> int:
    """Seconds to wait if `limit` events already fell in this window, else 0 (counts nothing)."""
    key, retry_after = _key(scope, ident, window, time.time() if now is None else now)
    client = get_redis()
    count = int(client.get(key) or 0) if client is not None else (cache.get(key) or 0)
    return retry_after if count >= limit else 0


def reset(scope: str, ident: str, *, window: int, now: float | None = None) -> None:
    key, _ = _key(scope, ident, window, time.time() if now is None else now)
    client = get_redis()
    if client is not None:
        client.delete(key)
    else:
        cache.delete(key)
