"""A minimal Redis client for the hottest calls: RESP2 over a plain socket, one connection per thread.

redis-py spends about half a millisecond of CPU per command in this process (command packing, connection
pool bookkeeping, its observability hooks); the booking call of a flash crowd makes one Redis round trip
per attempt and answers most attempts from that round trip alone, so that overhead was most of the cost
of a "已约满" answer. This client does only what those calls need: send one command or a pipeline of a
few, read the replies. Everything else keeps using redis-py (`core.redis.get_redis`).

Not for general use: no pub/sub, no cluster, no RESP3. A connection that fails is dropped and the call
retried once on a fresh one (the calls made through here are idempotent reads or counters whose double
count on a retry only makes a rate limit stricter)."""

from __future__ import annotations

import hashlib
import socket
import threading
from urllib.parse import unquote, urlparse

from django.conf import settings


class RedisReplyError(Exception):
    """Redis answered with an error reply ("-ERR …")."""


class _Connection:
    def __init__(self, url: str, timeout: float) -> None:
        parsed = urlparse(url)
        if parsed.scheme not in ("redis", ""):
            raise ValueError(f"rawredis supports redis:// URLs only, not {parsed.scheme}://")
        self.sock = socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.file = self.sock.makefile("rb")
        setup = []
        if parsed.password:
            auth = [unquote(parsed.username)] if parsed.username else []
            setup.append(("AUTH", *auth, unquote(parsed.password)))
        db = (parsed.path or "/0").lstrip("/") or "0"
        if db != "0":
            setup.append(("SELECT", db))
        if setup:
            for reply in self.pipeline(setup):
                if isinstance(reply, RedisReplyError):
                    raise reply

    def close(self) -> None:
        try:
            self.file.close()
            self.sock.close()
        except OSError:
            pass

    def pipeline(self, commands) -> list:
        self.sock.sendall(b"".join(_pack(command) for command in commands))
        return [self._read() for _ in commands]

    def _read(self):
        line = self.file.readline()
        if not line:
            raise ConnectionError("Redis closed the connection")
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest.decode()
        if kind == b":":
            return int(rest)
        if kind == b"$":
            size = int(rest)
            if size < 0:
                return None
            data = self.file.read(size + 2)
            return data[:-2]
        if kind == b"*":
            size = int(rest)
            if size < 0:
                return None
            return [self._read() for _ in range(size)]
        if kind == b"-":
            return RedisReplyError(rest.decode(errors="replace"))
        raise ConnectionError(f"unexpected Redis reply {line[:20]!r}")


def _pack(command) -> bytes:
    parts = [b"*%d\r\n" % len(command)]
    for arg in command:
        if isinstance(arg, bytes):
            data = arg
        elif isinstance(arg, str):
            data = arg.encode()
        else:
            data = str(arg).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)


_local = threading.local()


def available() -> bool:
    """Whether Redis is configured and reachable the plain way (redis://; TLS URLs use redis-py)."""
    return settings.REDIS_URL.startswith("redis://")


def _connection() -> _Connection:
    conn = getattr(_local, "conn", None)
    url = settings.REDIS_URL
    if conn is None or getattr(_local, "url", None) != url:
        if conn is not None:
            conn.close()
        conn = _local.conn = _Connection(url, timeout=float(settings.REDIS_POOL_TIMEOUT))
        _local.url = url
    return conn


def _drop() -> None:
    conn = getattr(_local, "conn", None)
    if conn is not None:
        conn.close()
    _local.conn = None


def pipeline(commands) -> list:
    """Send the commands in one write, read their replies (errors come back as RedisReplyError values)."""
    for attempt in (1, 2):
        try:
            return _connection().pipeline(commands)
        except (OSError, ConnectionError):
            _drop()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def call(*command):
    reply = pipeline([command])[0]
    if isinstance(reply, RedisReplyError):
        raise reply
    return reply


class Script:
    """A Lua script run by EVALSHA, loaded on first NOSCRIPT (after a Redis restart, too)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.sha = hashlib.sha1(source.encode()).hexdigest()  # noqa: S324 (Redis names scripts by SHA-1)

    def __call__(self, keys, args=()):
        reply = pipeline([("EVALSHA", self.sha, len(keys), *keys, *args)])[0]
        if isinstance(reply, RedisReplyError) and str(reply).startswith("NOSCRIPT"):
            reply = pipeline([("EVAL", self.source, len(keys), *keys, *args)])[0]
        if isinstance(reply, RedisReplyError):
            raise reply
        return reply
