"""Fixed-window rate limits kept in the cache (Redis in production, so they hold across workers)."""

from __future__ import annotations

import time

from django.core.cache import cache

from yiyun.core.errors import RateLimited


def _window(scope: str, ident: str, window: int, now: float) -> tuple[str, int]:
    index = int(now // window)
    retry_after = int((index + 1) * window - now) + 1
    return f"rl:{scope}:{ident}:{window}:{index}", retry_after


def hit(scope: str, ident: str, *, limit: int, window: int, now: float | None = None) -> None:
    """Count one event; raise RateLimited (429 + Retry-After) once `limit` events fell in this window."""
    key, retry_after = _window(scope, ident, window, time.time() if now is None else now)
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count > limit:
        raise RateLimited(retry_after)


def exceeded(scope: str, ident: str, *, limit: int, window: int, now: float | None = None) -> int:
    """Seconds to wait if `limit` events already fell in this window, else 0 (counts nothing)."""
    key, retry_after = _window(scope, ident, window, time.time() if now is None else now)
    return retry_after if (cache.get(key) or 0) >= limit else 0


def reset(scope: str, ident: str, *, window: int, now: float | None = None) -> None:
    key, _ = _window(scope, ident, window, time.time() if now is None else now)
    cache.delete(key)
