"""The plain-socket Redis client of the hot paths, against the real Redis when the suite has one."""

from __future__ import annotations

import pytest

from yiyun.core import rawredis


@pytest.fixture(autouse=True)
def _needs_redis():
    if not rawredis.available():
        pytest.skip("no redis:// REDIS_URL in this run (the PostgreSQL + Redis run covers it)")
    rawredis.call("DEL", "rawredis-test", "rawredis-list")
    yield
    rawredis.call("DEL", "rawredis-test", "rawredis-list")


def test_replies_of_every_kind():
    assert rawredis.call("SET", "rawredis-test", "值 value") == "OK"
    assert rawredis.call("GET", "rawredis-test").decode() == "值 value"
    assert rawredis.call("GET", "rawredis-missing") is None
    assert rawredis.call("INCR", "rawredis-n") == 1
    assert rawredis.call("DEL", "rawredis-n") == 1
    rawredis.call("RPUSH", "rawredis-list", "a", b"b", 3)
    assert rawredis.call("LRANGE", "rawredis-list", 0, -1) == [b"a", b"b", b"3"]
    with pytest.raises(rawredis.RedisReplyError):
        rawredis.call("INCR", "rawredis-list")  # WRONGTYPE


def test_pipeline_keeps_errors_in_place():
    replies = rawredis.pipeline([("SET", "rawredis-test", "1"), ("LPOP", "rawredis-test"), ("GET", "rawredis-test")])
    assert replies[0] == "OK" and isinstance(replies[1], rawredis.RedisReplyError) and replies[2] == b"1"


def test_scripts_load_themselves_after_a_flush_and_return_nils():
    script = rawredis.Script("return {redis.call('GET', KEYS[1]), ARGV[1], 7}")
    rawredis.call("SCRIPT", "FLUSH")
    assert script(["rawredis-test"], ["x"]) == [None, b"x", 7]
    assert script(["rawredis-test"], ["y"]) == [None, b"y", 7]  # now by EVALSHA


def test_a_dropped_connection_is_replaced():
    own_id = rawredis.call("CLIENT", "ID")
    dropped = rawredis._local.conn
    rawredis.call("CLIENT", "KILL", "ID", own_id, "SKIPME", "no")  # the server closes this connection
    assert rawredis.call("PING") == "PONG"
    assert rawredis._local.conn is not dropped and rawredis.call("CLIENT", "ID") != own_id
