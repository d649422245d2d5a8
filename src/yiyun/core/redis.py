"""One shared Redis client per process (a blocking pool: under a burst, callers wait for a connection
instead of failing as redis-py's default pool does when its connections run out)."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=1)
def get_redis():
    """The client, or None in the embedded default (no REDIS_URL)."""
    if not settings.REDIS_URL:
        return None
    import redis

    pool = redis.BlockingConnectionPool.from_url(
        settings.REDIS_URL, max_connections=settings.REDIS_MAX_CONNECTIONS, timeout=settings.REDIS_POOL_TIMEOUT)
    return redis.Redis(connection_pool=pool)
