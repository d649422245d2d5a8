"""Everything a booking attempt asks Redis, in one round trip (production: PostgreSQL + Redis).

Before this, an attempt cost up to three Redis commands through redis-py (the rate limits, the sold-out
mark) and, in a worker process that had not yet seen the caller's token or patient, one PostgreSQL query
for them; with several workers, most attempts of a flash crowd came to a worker cold. Now one Lua script
(`core.rawredis`, a plain socket) does it all:

- reads the shared copies of the token (`accounts.selectors.shared_token_key`) and of the patient's facts
  (`booking.facts.shared_patient_key`) that the first worker to load them left in Redis;
- reads the window's sold-out mark (`booking.gate`);
- counts the three booking rate limits (account, real-name patient, IP) — the account's id comes from the
  token's shared copy, so the counters are only counted here when that copy exists; otherwise the caller
  loads the token from the database, leaves its shared copy, and `services.book` counts them as before.

The facts read here are those the per-process caches would hold anyway, for no longer than they would
hold them; what matters for correctness (patient removed, session stopped, suspension, free numbers) is
still checked inside the claim's transaction. Used only by the WSGI lane (`booking.hotpath`) on
PostgreSQL with a redis:// Redis; everything else keeps the plain path.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone

from yiyun.accounts import selectors as tokens
from yiyun.booking import facts, gate
from yiyun.core import pgsql, ratelimit, rawredis

_SCRIPT = rawredis.Script("""
local token = redis.call('GET', KEYS[1])
local patient = redis.call('GET', KEYS[2])
local soldout = redis.call('EXISTS', KEYS[3])
if not token then
    return {false, patient, soldout}
end
local account = string.match(token, '^(%d+)|')
local keys = {ARGV[1] .. account .. ARGV[2], KEYS[4], KEYS[5]}
local counts = {}
for i, key in ipairs(keys) do
    counts[i] = redis.call('INCR', key)
    redis.call('EXPIRE', key, ARGV[2 + i], 'NX')
end
return {token, patient, soldout, counts[1], counts[2], counts[3]}
""")


@dataclass(frozen=True)
class Precheck:
    """What the round trip found. `counts` (account, patient, IP) is None when the rates were not counted."""

    window: facts.WindowFacts
    sold_out: bool
    counts: tuple[int, int, int] | None
    now: float

    def check_rates(self, *, account_id: int, patient_key: str, ip: str) -> bool:
        """Raise RateLimited if a counted limit is exceeded; False if the caller still has to count them."""
        if self.counts is None:
            return False
        ratelimit.check_counts(rate_limits(account_id, patient_key, ip), self.counts, now=self.now)
        return True


def rate_limits(account_id: int, patient_key: str, ip: str) -> list[ratelimit.Limit]:
    return [
        ("book-account", str(account_id), *settings.BOOKING_RATE_PER_ACCOUNT),
        ("book-patient", patient_key, *settings.BOOKING_RATE_PER_PATIENT),
        ("book-ip", ip or "unknown", *settings.BOOKING_RATE_PER_IP),
    ]


def enabled() -> bool:
    return rawredis.available() and connection.vendor == "postgresql"


def run(*, token: str, window_id: str, patient_id: str, ip: str) -> Precheck | None:
    """The round trip, and the caches filled from it; None when the attempt should take the plain path
    (an unknown window or patient id: their answers and their rate counting stay `services.book`'s)."""
    window = facts.window_facts(window_id)
    patient_uuid = facts.patient_key(patient_id)
    if window is None or patient_uuid is None:
        return None
    now = time.time()
    # The account is not known yet: the script reads its id from the token's shared copy (account_scope[1] unused).
    account_scope, patient_scope, ip_scope = rate_limits(0, patient_id, ip)
    prefix, suffix = ratelimit.key_around("book-account", account_scope[3], now)
    keys = [tokens.shared_token_key(token), facts.shared_patient_key(patient_uuid), gate.mark_key(window.id),
            ratelimit.rate_key(patient_scope[0], patient_scope[1], patient_scope[3], now),
            ratelimit.rate_key(ip_scope[0], ip_scope[1], ip_scope[3], now)]
    args = [prefix, suffix, account_scope[3] + 1, patient_scope[3] + 1, ip_scope[3] + 1]
    reply = _SCRIPT(keys, args)
    token_blob, patient_blob, sold_out = reply[0], reply[1], bool(reply[2])
    if token_blob is not None and not tokens.is_token_cached(token):
        tokens.remember_token_blob(token, token_blob)
    patient_cached = facts.is_patient_cached(patient_uuid)
    if patient_blob is not None and not patient_cached:
        facts.remember_patient_blob(patient_uuid, patient_blob)
    need_patient = patient_blob is None and not patient_cached
    if token_blob is None or need_patient:
        _load_and_share(token, patient_uuid, need_token=token_blob is None, need_patient=need_patient)
    counts = tuple(reply[3:6]) if token_blob is not None else None
    gate.remember(window.id, sold_out)
    return Precheck(window=window, sold_out=sold_out, counts=counts, now=now)


def _load_and_share(token: str, patient_uuid: uuid.UUID, *, need_token: bool, need_patient: bool) -> None:
    """Read from PostgreSQL what neither Redis nor this process had (the token and the patient in one
    query) and leave its shared copy for the other workers."""
    token_row = patient_row = None
    if need_token:
        sql = (f"SELECT {tokens.PG_TOKEN_COLUMNS}, {facts.PG_PATIENT_COLUMNS} FROM {tokens.PG_TOKEN_FROM[0]} "  # noqa: S608
               f"LEFT JOIN patients_patient p ON p.external_id = %s WHERE {tokens.PG_TOKEN_FROM[1]}")
        row = pgsql.fetchone(sql, [patient_uuid, tokens.token_hash(token), timezone.now()])
        if row is None:
            return  # not a live token: Django answers 401
        split = len(tokens.PG_TOKEN_COLUMNS.split(","))
        token_row = row[:split]
        if need_patient:
            patient_row = row[split:]
    else:
        patient_row = pgsql.fetchone(facts.PG_PATIENT, [patient_uuid])
    commands = []
    if token_row is not None:
        tokens.remember_token(token, token_row)
        shared = tokens.token_blob(token_row)
        if shared is not None:
            commands.append(("SET", tokens.shared_token_key(token), shared[0], "PX", shared[1]))
    if patient_row is not None and patient_row[0] is not None:
        facts.remember_patient(patient_uuid, patient_row)
        value, keep_ms = facts.patient_blob(patient_row)
        commands.append(("SET", facts.shared_patient_key(patient_uuid), value, "PX", keep_ms))
    if commands:
        rawredis.pipeline(commands)
