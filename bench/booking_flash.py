"""Flash-crowd booking benchmark: the app as it runs in production (granian WSGI, PostgreSQL, Redis),
driven over HTTP on loopback, next to the database's own ceiling for the same write.

    make bench-booking                      # PostgreSQL + Redis on 127.0.0.1 (the production shape)
    .venv/bin/python bench/booking_flash.py --sqlite   # the embedded default, lower concurrency

Phases (see bench/README.md for what each figure means):
  ceiling    a direct psycopg loop runs yiyun.booking.claims' advisory lock + claim statement
  sustained  N booking attempts against ample places; every attempt should book
  flash      M attempts from P distinct patients at few places, released at one instant
Then correctness checks on the database, a paid sample, and one JSON line at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import datetime as dt
import hashlib
import json
import os
import random
import resource
import secrets
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
ACTIVE = ("held", "confirmed", "checked_in")


# --- the environment the app runs with --------------------------------------------------------------


def app_env(args) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "YIYUN_DEBUG", "YIYUN_DEMO", "YIYUN_TESTING",
                        "YIYUN_EAGER_TASKS", "YIYUN_SQLITE_PATH")}
    key = base64.b64encode(secrets.token_bytes(32)).decode()
    env.update(
        DJANGO_SETTINGS_MODULE="yiyun.config.settings",
        YIYUN_SECRET_KEY=secrets.token_urlsafe(48),
        YIYUN_FIELD_KEYS=f"b1:{key}",
        YIYUN_LOOKUP_KEY=base64.b64encode(secrets.token_bytes(32)).decode(),
        # All load comes from 127.0.0.1: the per-IP limit (300/min in production) would refuse almost
        # everything, so it is raised here. Per-account and per-patient limits stay at their defaults.
        YIYUN_BOOKING_RATE_IP="1000000000",
        YIYUN_LOG_LEVEL="WARNING",
        YIYUN_CACHE_PREFIX="yiyun-bench",
        YIYUN_SANDBOX_PAY_SECRET=secrets.token_urlsafe(32),
        YIYUN_PAYMENTS_SANDBOX="1",  # the only payment provider so far: the paid sample goes through it
        PYTHONPATH=os.pathsep.join([str(BENCH), str(ROOT / "src"), env.get("PYTHONPATH", "")]),
    )
    if args.sqlite:
        env["YIYUN_SQLITE_PATH"] = str(ROOT / "var" / "bench.sqlite3")
    else:
        env["DATABASE_URL"] = args.db_url
        env["REDIS_URL"] = args.redis_url
    env.update(args.extra_env)
    return env


def fresh_database(args) -> None:
    if args.sqlite:
        for suffix in ("", "-wal", "-shm"):
            Path(str(ROOT / "var" / "bench.sqlite3") + suffix).unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(args.pg_admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.db}"')
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()


# --- fixture ----------------------------------------------------------------------------------------


@dataclass
class Attempt:
    token: str
    patient: str
    window: str
    key: str


@dataclass
class Fixture:
    sustained: list[Attempt]
    flash: list[Attempt]
    warmup_token: str
    flash_release_at: dt.datetime
    flash_window_places: dict[str, int]
    ceiling: list  # ClaimRequest objects for the database-ceiling loop
    seconds: float = 0.0


def _id_number(n: int, sex: str) -> tuple[str, dt.date]:
    from yiyun.core.validators import id_check_char

    birth = dt.date(1950, 1, 1) + dt.timedelta(days=n % 15000)
    order = (n * 2 + (1 if sex == "M" else 0)) % 1000
    first17 = f"110105{birth:%Y%m%d}{order:03d}"
    return first17 + id_check_char(first17), birth


def _people(count: int, offset: int):
    """`count` patient accounts, each with one verified real-name patient (本人) and one API token."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from yiyun.accounts.models import ApiToken, Role, User, phone_lookup
    from yiyun.accounts.services import TOKEN_LIFETIME, TOKEN_PREFIX
    from yiyun.core.crypto import lookup_hash
    from yiyun.patients.models import Patient
    from yiyun.patients.services import ID_HASH_PURPOSE

    now = timezone.now()
    unusable = make_password(None)
    users = []
    for n in range(offset, offset + count):
        phone = f"170{n:08d}"
        users.append(User(phone=phone, phone_hash=phone_lookup(phone), primary_role=Role.PATIENT,
                          password=unusable, date_joined=now))
    users = User.objects.bulk_create(users, batch_size=2000)
    group, _ = Group.objects.get_or_create(name=Role.PATIENT)
    User.groups.through.objects.bulk_create([User.groups.through(user_id=u.pk, group_id=group.pk) for u in users],
                                            batch_size=5000)
    patients, tokens, raws = [], [], []
    for i, user in enumerate(users):
        sex = "MF"[i % 2]
        number, birth = _id_number(offset + i, sex)
        patients.append(Patient(account_id=user.pk, relationship="self", name=f"压测患者{offset + i}", sex=sex,
                                birth_date=birth, id_number=number,
                                id_number_hash=lookup_hash(number, purpose=ID_HASH_PURPOSE), is_default=True,
                                verified_at=now, created_at=now, updated_at=now))
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        raws.append(raw)
        tokens.append(ApiToken(user_id=user.pk, key_hash=hashlib.sha256(raw.encode()).hexdigest(),
                               expires_at=now + TOKEN_LIFETIME))
    patients = Patient.objects.bulk_create(patients, batch_size=2000)
    ApiToken.objects.bulk_create(tokens, batch_size=5000)
    return list(zip(users, patients, raws, strict=True))


def _doctors(hospital, department, count: int, label: str):
    from yiyun.catalog.models import Doctor
    from yiyun.catalog.services import save_doctor

    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    return [save_doctor(doctor=Doctor(hospital=hospital, name=f"{surnames[i % 20]}{label}{i}", sex="MF"[i % 2],
                                      title=Doctor.Title.CHIEF, specialty="压测",
                                      licence_number=f"B{label}{i:012d}", years_of_practice=20),
                        departments=[department]) for i in range(count)]


def _sessions(doctors, department, visit_type, days, *, windows: int, online: int, fee_fen: int):
    from yiyun.scheduling.services import create_session

    start = dt.time(8, 0)
    end = (dt.datetime.combine(dt.date.today(), start) + dt.timedelta(minutes=30 * windows)).time()
    out = {}
    for day in days:
        for doctor in doctors:
            out[(doctor.pk, day)] = create_session(
                doctor=doctor, department=department, day=day, period="am", start=start, end=end,
                window_minutes=30, online_per_window=online, onsite_per_window=1, visit_type=visit_type,
                fee_fen=fee_fen)
    return out


def build_fixture(args) -> Fixture:
    """Bulk ORM: a hospital, doctors with released sessions, verified patients with API tokens."""
    from django.utils import timezone

    from yiyun.audit.models import AccessLog
    from yiyun.booking.claims import ClaimRequest
    from yiyun.catalog.models import Department, Hospital, StandardDepartment
    from yiyun.demo.seed import seed_standard_departments
    from yiyun.scheduling.models import Session, Window
    from yiyun.scheduling.services import ensure_visit_types, policy_for

    started = time.perf_counter()
    seed_standard_departments()
    hospital = Hospital.objects.create(code="BENCH01", name="压测市第一人民医院", short_name="压测一院",
                                       tier=Hospital.Tier.TIER3A)
    department = Department.objects.create(hospital=hospital, name="心血管内科",
                                           standard=StandardDepartment.objects.get(code="03.04"))
    visit_type = ensure_visit_types(hospital)["expert"]
    policy = policy_for(hospital)  # the defaults: 2 active bookings a day, 5 a week, one per doctor a day
    today = timezone.localdate()
    fee = 1500  # a paid visit: bookings are held for payment, as on a real release morning

    per_patient = 4  # sustained: two doctors on each of two days (within 2/day and 5/week)
    n_sustained_patients = args.sustained // per_patient
    sus_doctors = max(10, n_sustained_patients // 50)
    online_per_window = -(-(args.sustained // (2 * sus_doctors)) * 5 // 4 // 8)  # 8 windows, 25 % spare
    days = [today + dt.timedelta(days=1), today + dt.timedelta(days=2)]
    sus_doctor_rows = _doctors(hospital, department, sus_doctors, "S")
    sus_sessions = _sessions(sus_doctor_rows, department, visit_type, days, windows=8, online=online_per_window,
                             fee_fen=fee)
    windows = {s.pk: list(Window.objects.filter(session=s).order_by("starts_at")) for s in sus_sessions.values()}
    sus_people = _people(n_sustained_patients, 0)

    def sustained_attempts(people, doctor_rows, sessions, key_prefix):
        attempts, used = [], {}
        for j in range(per_patient):
            day = days[j // 2]
            for i, (_user, patient, raw) in enumerate(people):
                doctor = doctor_rows[(2 * i + j % 2) % len(doctor_rows)]
                session = sessions[(doctor.pk, day)]
                k = used[session.pk] = used.get(session.pk, -1) + 1
                window = windows[session.pk][k % len(windows[session.pk])]
                attempts.append((raw, patient, window, session, f"{key_prefix}-{i}-{j}"))
        return attempts

    sustained = [Attempt(raw, str(p.external_id), str(w.external_id), key)
                 for raw, p, w, _s, key in sustained_attempts(sus_people, sus_doctor_rows, sus_sessions, "s")]

    ceiling = []
    if not args.sqlite:
        ceil_doctor_rows = _doctors(hospital, department, sus_doctors, "C")
        ceil_sessions = _sessions(ceil_doctor_rows, department, visit_type, days, windows=8,
                                  online=online_per_window, fee_fen=fee)
        windows.update({s.pk: list(Window.objects.filter(session=s).order_by("starts_at"))
                        for s in ceil_sessions.values()})
        ceil_people = _people(n_sustained_patients, 100_000)
        for _raw, patient, window, session, key in sustained_attempts(ceil_people, ceil_doctor_rows, ceil_sessions,
                                                                    "c"):
            user = patient.account
            ceiling.append(ClaimRequest(
                account_id=patient.account_id, patient_id=patient.pk, patient_external_id=str(patient.external_id),
                window_id=window.pk, session_id=session.pk, hospital_id=hospital.pk,
                department_id=department.pk, doctor_id=session.doctor_id, visit_date=session.date, fee_fen=fee,
                status="held", source="online", idempotency_key=key, now=timezone.now(),
                hold_expires_at=timezone.now() + dt.timedelta(minutes=policy.hold_minutes),
                max_per_day=policy.max_active_per_day, max_per_week=policy.max_active_per_week,
                actor_role="patient", actor_label=str(user), channel=AccessLog.Channel.API, ip="127.0.0.1",
                user_agent="bench-ceiling", path="/api/v1/bookings", id_number_hash=patient.id_number_hash))

    # flash: `flash_doctors` popular doctors, one session each the day after, few places, one release instant
    flash_doctor_rows = _doctors(hospital, department, args.flash_doctors, "F")
    per_doctor = args.flash_places // args.flash_doctors
    flash_sessions = _sessions(flash_doctor_rows, department, visit_type, [today + dt.timedelta(days=3)], windows=2,
                               online=per_doctor // 2, fee_fen=fee)
    flash_windows = {s.pk: list(Window.objects.filter(session=s).order_by("starts_at"))
                     for s in flash_sessions.values()}
    release_at = timezone.now() + dt.timedelta(days=1)  # set to the real instant just before the phase
    Session.objects.filter(pk__in=[s.pk for s in flash_sessions.values()]).update(release_at=release_at)
    flash_people = _people(args.flash_patients, 200_000)
    tries = args.flash // args.flash_patients
    steps = [0, 13, 26, 39, 7, 20, 33, 46][:tries]
    flash = []
    for j in range(tries):  # each patient tries `tries` different doctors, in waves
        for i, (_user, patient, raw) in enumerate(flash_people):
            doctor = flash_doctor_rows[(i + steps[j]) % len(flash_doctor_rows)]
            session = flash_sessions[(doctor.pk, today + dt.timedelta(days=3))]
            window = flash_windows[session.pk][(i // len(flash_doctor_rows)) % 2]
            flash.append(Attempt(raw, str(patient.external_id), str(window.external_id), f"f-{i}-{j}"))
    places = {str(w.external_id): w.online_capacity for ws in flash_windows.values() for w in ws}
    warmup = _people(1, 300_000)[0][2]
    return Fixture(sustained=sustained, flash=flash, warmup_token=warmup, flash_release_at=release_at,
                   flash_window_places=places, ceiling=ceiling, seconds=time.perf_counter() - started)


def set_flash_release(at: dt.datetime, window_ids) -> None:
    from yiyun.scheduling.models import Session, Window

    session_ids = Window.objects.filter(external_id__in=list(window_ids)).values_list("session_id", flat=True)
    Session.objects.filter(pk__in=list(session_ids)).update(release_at=at)


# --- CPU accounting from /proc -----------------------------------------------------------------------

_HZ = os.sysconf("SC_CLK_TCK")


def _proc_stat(pid: int):
    try:
        with open(f"/proc/{pid}/stat") as f:
            raw = f.read()
    except OSError:
        return None
    name = raw[raw.index("(") + 1:raw.rindex(")")]
    rest = raw[raw.rindex(")") + 2:].split()
    return name, int(rest[1]), (int(rest[11]) + int(rest[12])) / _HZ  # comm, ppid, utime+stime seconds


_PG_DB = {"name": ""}  # the benchmark's database: backends of other databases count as "other"


def _is_ours(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            title = f.read().decode(errors="replace")
    except OSError:
        return False
    # a backend's title is "postgres: 15/main: user database host(port) state"; background workers have none
    parts = title.split()
    return len(parts) < 5 or parts[3] == _PG_DB["name"]


def cpu_snapshot(server_pid: int | None) -> dict:
    """CPU seconds used so far, per process, by the app server tree, PostgreSQL and Redis, plus this
    process and the whole machine."""
    procs = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _proc_stat(int(entry))
            if stat:
                procs[int(entry)] = stat
    tree = set()
    if server_pid:
        tree.add(server_pid)
        grew = True
        while grew:
            grew = False
            for pid, (_, ppid, _) in procs.items():
                if ppid in tree and pid not in tree:
                    tree.add(pid)
                    grew = True
    out = {"app": {p: procs[p][2] for p in tree if p in procs},
           "postgres": {p: s for p, (name, _, s) in procs.items() if name.startswith("postgres") and _is_ours(p)},
           "redis": {p: s for p, (name, _, s) in procs.items() if name.startswith("redis")},
           "loadgen": sum(resource.getrusage(resource.RUSAGE_SELF)[:2])}
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    out["machine"] = (sum(fields[:8]) - fields[3] - fields[4]) / _HZ  # all but idle and iowait
    return out


def cpu_delta(before: dict, after: dict, seconds: float) -> dict[str, float]:
    """Cores used on average during the interval (2.0 = both cores busy). Processes that exited during
    the interval are not counted (their last slice is lost); new ones count from zero."""
    used = {}
    for k in ("app", "postgres", "redis"):
        used[k] = sum(v - before[k].get(p, 0.0) for p, v in after[k].items()) / seconds
    for k in ("loadgen", "machine"):
        used[k] = (after[k] - before[k]) / seconds
    used["other"] = max(0.0, used["machine"] - used["app"] - used["postgres"] - used["redis"] - used["loadgen"])
    return {k: round(v, 3) for k, v in used.items()}


# --- the app server ------------------------------------------------------------------------------


def start_server(args, env) -> subprocess.Popen:
    granian = Path(sys.executable).parent / "granian"
    cmd = [str(granian), "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(args.port),
           "--workers", str(args.workers), "--blocking-threads", str(args.threads),
           "--runtime-threads", "1", "--backlog", "2048", "--no-ws", "--log-level", "warning",
           "bench_app:application"]
    log = open(BENCH / ".server.log", "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"granian exited: see {BENCH / '.server.log'}")
        try:
            socket.create_connection(("127.0.0.1", args.port), timeout=0.5).close()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("granian did not start in 60 s")


# --- the load generator: asyncio (uvloop) protocols, pre-built requests, keep-alive connections ---------


def booking_request(attempt: Attempt) -> bytes:
    body = json.dumps({"window_id": attempt.window, "patient_id": attempt.patient}).encode()
    head = (f"POST /api/v1/bookings HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {attempt.token}\r\n"
            f"Idempotency-Key: {attempt.key}\r\nContent-Type: application/json\r\nUser-Agent: yiyun-bench\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


class _Conn(asyncio.Protocol):
    def __init__(self) -> None:
        self.buf = bytearray()
        self.need = -1
        self.waiter: asyncio.Future | None = None
        self.transport = None

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buf += data
        if self.need < 0:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self.buf[:end]).lower()
            at = head.find(b"content-length:")
            length = int(head[at + 15:head.find(b"\r\n", at) if head.find(b"\r\n", at) > 0 else None])
            self.need = end + 4 + length
        if len(self.buf) >= self.need:
            response = bytes(self.buf[:self.need])
            del self.buf[:self.need]
            self.need = -1
            if self.waiter is not None and not self.waiter.done():
                self.waiter.set_result(response)

    def connection_lost(self, exc) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError("server closed the connection"))


@dataclass
class PhaseResult:
    sent: list[float]  # wall-clock seconds
    done: list[float]
    responses: list[bytes]
    connection: list[int]  # which of the keep-alive connections carried each request
    wall: float
    loadgen_cpu: float
    cpu: dict = field(default_factory=dict)


def drive(port: int, requests: list[bytes], concurrency: int, *, start_at: float | None = None,
          server_pid: int | None = None) -> PhaseResult:
    """Send every request once over `concurrency` keep-alive connections; optionally hold fire until the
    wall-clock instant `start_at` (connections are opened before it)."""
    try:
        import uvloop

        loop = uvloop.new_event_loop()
    except ImportError:
        loop = asyncio.new_event_loop()
    n = len(requests)
    sent, done = [0.0] * n, [0.0] * n
    responses: list[bytes] = [b""] * n
    carrier = [0] * n
    box = {}

    async def main():
        conns = []
        for _ in range(concurrency):
            _, proto = await loop.create_connection(_Conn, "127.0.0.1", port)
            conns.append(proto)
        if start_at is not None:
            await asyncio.sleep(max(0.0, start_at - time.time()))
        jobs = iter(range(n))
        clock = time.perf_counter
        offset = time.time() - clock()

        async def worker(k: int, conn: _Conn):
            for i in jobs:
                carrier[i] = k
                fut = loop.create_future()
                conn.waiter = fut
                sent[i] = clock()
                conn.transport.write(requests[i])
                responses[i] = await fut
                done[i] = clock()

        box["cpu0"] = cpu_snapshot(server_pid)
        t0 = clock()
        await asyncio.gather(*(worker(k, c) for k, c in enumerate(conns)))
        box["wall"] = clock() - t0
        box["cpu1"] = cpu_snapshot(server_pid)
        box["offset"] = offset
        for c in conns:
            c.transport.close()

    loop.run_until_complete(main())
    loop.close()
    offset = box["offset"]
    result = PhaseResult(sent=[s + offset for s in sent], done=[d + offset for d in done], responses=responses,
                         connection=carrier, wall=box["wall"], loadgen_cpu=box["cpu1"]["loadgen"] - box["cpu0"]["loadgen"])
    result.cpu = cpu_delta(box["cpu0"], box["cpu1"], box["wall"])
    return result


def parse(response: bytes) -> tuple[int, str, dict, str]:
    """Status, server arrival (ns), JSON body and the worker process that answered."""
    status = int(response[9:12])
    head, _, body = response.partition(b"\r\n\r\n")
    arrival = served_by = ""
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.lower()
        if name == b"x-bench-arrival":
            arrival = value.strip().decode()
        elif name == b"x-bench-worker":
            served_by = value.strip().decode()
    try:
        payload = json.loads(body) if body else {}
    except ValueError:
        payload = {"code": "unparsable"}
    return status, arrival, payload, served_by


def outcome_of(status: int, payload: dict) -> str:
    if status == 201:
        return "booked"
    if status == 200:
        return "replay"
    return str(payload.get("code", status))


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# --- the database's own ceiling ----------------------------------------------------------------------------


def db_ceiling(args, requests) -> dict:
    """The same advisory lock + claim statement as yiyun.booking.claims, from `connections` threads, each
    transaction sent as one pipelined round trip (BEGIN, lock, claim, COMMIT)."""
    import psycopg
    from django.utils import timezone

    from yiyun.booking import claims

    chunks = [requests[i::args.ceiling_connections] for i in range(args.ceiling_connections)]
    booked = [0] * len(chunks)
    conns = [psycopg.connect(args.db_url, autocommit=True) for _ in chunks]
    barrier = threading.Barrier(len(chunks) + 1)

    def run(k: int) -> None:
        conn = conns[k]
        barrier.wait()
        for request in chunks[k]:
            params = claims.pg_params(request, uuid.uuid4())
            params["now"] = timezone.now()
            with conn.pipeline():
                conn.execute("BEGIN")
                conn.execute(claims.PG_LOCK_SQL, (claims.ADVISORY_NAMESPACE, request.patient_id), prepare=True)
                cur = conn.execute(claims.PG_CLAIM_SQL, params, prepare=True)
                conn.execute("COMMIT")
                row = cur.fetchone()
            booked[k] += row is not None

    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(chunks))]
    for t in threads:
        t.start()
    before = cpu_snapshot(None)
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    cpu = cpu_delta(before, cpu_snapshot(None), wall)
    for conn in conns:
        conn.close()
    total = sum(booked)
    return {"claims": len(requests), "booked": total, "seconds": round(wall, 2),
            "per_s": round(total / wall, 1), "cpu_cores": cpu}


# --- checks ------------------------------------------------------------------------------------------------


def correctness(accepted_ids: set[str]) -> dict:
    from django.db import connection

    active = "('held', 'confirmed', 'checked_in')"
    queries = {
        "oversold": f"""SELECT count(*) FROM (SELECT w.id FROM scheduling_window w JOIN booking_booking b
                        ON b.window_id = w.id AND b.status IN {active}
                        GROUP BY w.id, w.online_capacity HAVING count(*) > w.online_capacity) x""",
        "number_twice": f"""SELECT count(*) FROM (SELECT session_id, number FROM booking_booking
                            WHERE status IN {active} GROUP BY session_id, number HAVING count(*) > 1) x""",
        "patient_twice": f"""SELECT count(*) FROM (SELECT patient_id, doctor_id, visit_date FROM booking_booking
                             WHERE status IN {active} GROUP BY patient_id, doctor_id, visit_date
                             HAVING count(*) > 1) x""",
        "ticket_mismatch": f"""SELECT (SELECT count(*) FROM booking_booking b WHERE b.status IN {active}
                                 AND NOT EXISTS (SELECT 1 FROM booking_ticket t WHERE t.booking_id = b.id))
                             + (SELECT count(*) FROM booking_ticket t JOIN booking_booking b ON b.id = t.booking_id
                                 WHERE b.status NOT IN {active})""",
        "missing_event": """SELECT count(*) FROM booking_booking b WHERE NOT EXISTS
                            (SELECT 1 FROM booking_bookingevent e WHERE e.booking_id = b.id)""",
        "missing_access_log": """SELECT count(*) FROM booking_booking b WHERE b.source = 'online' AND NOT EXISTS
                                 (SELECT 1 FROM audit_accesslog a WHERE a.record_type = 'booking'
                                  AND a.action = 'create' AND a.record_id = """
                              + ("CAST(b.external_id AS text)" if connection.vendor == "postgresql"
                                 # SQLite keeps UUIDs as 32 hex digits; the log keeps the dashed form
                                 else "substr(b.external_id, 1, 8) || '-' || substr(b.external_id, 9, 4) || '-' || "
                                      "substr(b.external_id, 13, 4) || '-' || substr(b.external_id, 17, 4) || '-' || "
                                      "substr(b.external_id, 21)") + ")",
    }
    out = {}
    with connection.cursor() as cursor:
        for name, sql in queries.items():
            cursor.execute(sql)
            out[name] = cursor.fetchone()[0]
        cursor.execute(f"SELECT external_id FROM booking_booking WHERE status IN {active}")
        stored = {str(uuid.UUID(str(r[0]))) for r in cursor.fetchall()}
    out["accepted_not_stored"] = len(accepted_ids - stored)
    return out


def pay_sample(booking_ids: list[str], sample: int) -> dict:
    """Pay a sample of held bookings through the payments flow: open the payment (`start_payment`), pay
    at the sandbox gateway, deliver its signed notification twice (gateways repeat themselves), then run
    the hold-expiry sweep as if 16 minutes had passed, and count paid bookings that are not active.
    Without the payments app, booking's own side of that flow (`confirm_paid`) stands in for it."""
    from django.utils import timezone

    from yiyun.audit.services import AccessContext
    from yiyun.booking import services
    from yiyun.booking.models import Booking

    chosen = random.Random(7).sample(booking_ids, min(sample, len(booking_ids)))
    paid = 0
    try:
        from yiyun.booking.payment import start_payment
        from yiyun.payments import services as payments
        from yiyun.payments.sandbox import gateway
        from yiyun.payments.sandbox.models import SandboxNotice
        from yiyun.payments.sandbox.notices import signed_request

        flow = "payments app + sandbox gateway"
    except ImportError:
        flow = "booking.services.confirm_paid (no payments app)"
    for ext in chosen:
        if flow.startswith("payments"):
            account = Booking.objects.select_related("account").get(external_id=ext).account
            checkout = start_payment(ctx=AccessContext(actor=account, channel="api", ip="127.0.0.1"),
                                     booking_id=ext, method="redirect")
            trade = gateway.pay_trade(trade_no=checkout.url.rstrip("/").rsplit("/", 1)[-1])
            body, headers = signed_request(SandboxNotice.objects.filter(trade=trade).latest("id"))
            answers = [payments.handle_notification(provider="sandbox", body=body, headers=headers)
                       for _ in range(2)]
            paid += all(status == 200 for status, _ in answers)
        else:
            ref = f"bench-pay-{ext[:8]}"
            paid += services.confirm_paid(booking_external_id=ext, payment_ref=ref)
            services.confirm_paid(booking_external_id=ext, payment_ref=ref)
    expired = services.expire_holds(now=timezone.now() + dt.timedelta(minutes=16), batch=200)
    lost = Booking.objects.filter(external_id__in=chosen).exclude(status__in=ACTIVE).count()
    return {"pay_flow": flow, "paid": paid, "expired_by_sweep": expired, "lost_paid": lost}


def fairness(flash: list[Attempt], outcomes: list[str], arrivals: list[int]) -> dict:
    """Per window, order the attempts that were answered "booked" or "full" by server arrival (ns, stamped
    by the WSGI entry). First come, first served means the first `places` arrivals booked.
    - fcfs_share: of the winners, the share that were among the first `places` arrivals at their window
    - inversion_rate: (loser, winner) pairs where the loser arrived first, over all (loser, winner) pairs
    - worst_overtake_ms: the longest time by which a winner arrived after a loser of the same window"""
    by_window: dict[str, list[tuple[int, bool]]] = {}
    for attempt, outcome, arrival in zip(flash, outcomes, arrivals, strict=True):
        if outcome in ("booked", "window_full") and arrival:
            by_window.setdefault(attempt.window, []).append((arrival, outcome == "booked"))
    winners = in_first = inversions = pairs = 0
    worst = 0
    for rows in by_window.values():
        rows.sort()
        places = sum(won for _, won in rows)
        winners += places
        in_first += sum(won for _, won in rows[:places])
        losers_before = 0
        first_loser = None
        n_losers = len(rows) - places
        for arrival, won in rows:
            if won:
                inversions += losers_before
                if first_loser is not None:
                    worst = max(worst, arrival - first_loser)
            else:
                losers_before += 1
                first_loser = arrival if first_loser is None else first_loser
        pairs += places * n_losers
    return {"windows": len(by_window), "fcfs_share": round(in_first / winners, 4) if winners else None,
            "inversion_rate": round(inversions / pairs, 5) if pairs else None,
            "worst_overtake_ms": round(worst / 1e6, 1)}


# --- running it ----------------------------------------------------------------------------------------


def loadavg() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def machine() -> dict:
    model = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    return {"nproc": os.cpu_count(), "cpu": model, "ram_gib": round(mem_kb / 2**20, 1)}


def per_worker(parsed, connection: list[int], latencies: list[float]) -> dict:
    """Per server worker process: the keep-alive connections it held, the requests it answered and their
    latency. With one connection per client the load splits by connections, so an uneven split shows here."""
    rows: dict[str, dict] = {}
    for (_, _, _, served_by), conn, latency in zip(parsed, connection, latencies, strict=True):
        row = rows.setdefault(served_by or "?", {"connections": set(), "latencies": []})
        row["connections"].add(conn)
        row["latencies"].append(latency)
    return {pid: {"connections": len(r["connections"]), "requests": len(r["latencies"]),
                  "p50_ms": round(percentile(r["latencies"], 0.5), 1),
                  "p99_ms": round(percentile(r["latencies"], 0.99), 1)}
            for pid, r in sorted(rows.items())}


def phase_summary(name: str, result: PhaseResult, attempts: list[Attempt]) -> dict:
    parsed = [parse(r) for r in result.responses]
    outcomes = [outcome_of(status, payload) for status, _, payload, _ in parsed]
    latencies = [(d - s) * 1000 for s, d in zip(result.sent, result.done, strict=True)]
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o] = counts.get(o, 0) + 1
    booked = counts.get("booked", 0)
    summary = {
        "phase": name, "attempts": len(attempts), "seconds": round(result.wall, 2),
        "attempts_per_s": round(len(attempts) / result.wall, 1), "bookings_per_s": round(booked / result.wall, 1),
        "outcomes": counts, "p50_ms": round(percentile(latencies, 0.5), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1), "max_ms": round(max(latencies), 1),
        "loadgen_cpu_s": round(result.loadgen_cpu, 2), "cpu_cores": result.cpu,
        "cpu_ms_per_attempt": {k: round(result.cpu[k] * result.wall * 1000 / len(attempts), 3)
                               for k in ("app", "postgres", "redis", "loadgen")},
        "per_worker": per_worker(parsed, result.connection, latencies),
    }
    ids = {p["id"] for s, _, p, _ in parsed if s == 201}
    return summary | {"_outcomes": outcomes, "_parsed": parsed, "_ids": ids, "_latencies": latencies}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sqlite", action="store_true", help="the embedded default instead of PostgreSQL + Redis")
    p.add_argument("--pg-admin-url", default=os.environ.get("BENCH_PG_ADMIN_URL",
                                                            "postgresql://postgres@127.0.0.1:5432/postgres"))
    p.add_argument("--db", default="yiyun_bench")
    p.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"))
    p.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8765")))
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--threads", type=int, default=1, help="granian blocking threads per worker")
    p.add_argument("--concurrency", type=int, default=None)
    p.add_argument("--sustained", type=int, default=None)
    p.add_argument("--flash", type=int, default=None)
    p.add_argument("--flash-patients", type=int, default=None)
    p.add_argument("--flash-doctors", type=int, default=None)
    p.add_argument("--flash-places", type=int, default=None)
    p.add_argument("--ceiling-connections", type=int, default=8)
    p.add_argument("--pay-sample", type=int, default=1000)
    p.add_argument("--env", action="append", default=[], help="extra NAME=VALUE for the app")
    p.add_argument("--profile", metavar="SECONDS", type=float, default=0,
                   help="py-spy the first worker for this long during the sustained phase")
    args = p.parse_args(argv)
    small = args.sqlite
    args.concurrency = args.concurrency or (32 if small else 256)
    args.sustained = args.sustained or (2000 if small else 20000)
    args.flash = args.flash or (4000 if small else 20000)
    args.flash_patients = args.flash_patients or (1000 if small else 5000)
    args.flash_doctors = args.flash_doctors or (10 if small else 50)
    args.flash_places = args.flash_places or (100 if small else 500)
    args.extra_env = dict(item.split("=", 1) for item in args.env)
    args.db_url = args.pg_admin_url.rsplit("/", 1)[0] + "/" + args.db
    _PG_DB["name"] = args.db

    report: dict = {"date": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "machine": machine(),
                    "backend": "sqlite" if args.sqlite else "postgresql+redis",
                    "layout": {"server": "granian --interface wsgi", "workers": args.workers,
                               "threads_per_worker": args.threads, "concurrency": args.concurrency},
                    "load_before": loadavg()}
    print(f"# machine {report['machine']}  load average before: {report['load_before']}", flush=True)
    env = app_env(args)
    os.environ.update(env)
    sys.path[:0] = [str(BENCH)]
    fresh_database(args)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0, interactive=False)
    fixture = build_fixture(args)
    print(f"# fixture in {fixture.seconds:.1f} s: {len(fixture.sustained)} sustained and {len(fixture.flash)} "
          f"flash attempts, {len(fixture.flash_window_places)} flash windows", flush=True)

    if fixture.ceiling:
        report["db_ceiling"] = db_ceiling(args, fixture.ceiling)
        print(f"# db ceiling: {json.dumps(report['db_ceiling'], ensure_ascii=False)}", flush=True)
    connections.close_all()

    server = start_server(args, env)
    try:
        warm = [booking_request(Attempt(fixture.warmup_token, "not-a-patient", "not-a-window", ""))] * 2000
        drive(args.port, warm, min(args.concurrency, 64))
        profiler = None
        if args.profile:
            profiler = start_profiler(server.pid, args.profile)
        sus = drive(args.port, [booking_request(a) for a in fixture.sustained], args.concurrency,
                    server_pid=server.pid)
        if profiler is not None:
            profiler.wait()
        sustained = phase_summary("sustained", sus, fixture.sustained)
        print("# sustained:", json.dumps({k: v for k, v in sustained.items() if not k.startswith("_")},
                                         ensure_ascii=False), flush=True)

        release = time.time() + 3.0

        set_flash_release(dt.datetime.fromtimestamp(release, tz=dt.UTC), fixture.flash_window_places)
        connections.close_all()
        time.sleep(max(0.0, release - time.time() - 2.0))
        fl = drive(args.port, [booking_request(a) for a in fixture.flash], args.concurrency, start_at=release,
                   server_pid=server.pid)
        flash = phase_summary("flash", fl, fixture.flash)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()

    # sell-out and sold-out answers
    booked_at = [d for d, o in zip(fl.done, flash["_outcomes"], strict=True) if o == "booked"]
    full_at = [d for d, o in zip(fl.done, flash["_outcomes"], strict=True) if o == "window_full"]
    flash["sellout_s"] = round(max(booked_at) - release, 3) if booked_at else None
    flash["places"] = sum(fixture.flash_window_places.values())
    span = (max(full_at) - min(full_at)) if len(full_at) > 1 else 0
    flash["soldout_answers"] = len(full_at)
    flash["soldout_answers_per_s"] = round(len(full_at) / span, 1) if span else 0.0
    arrivals = [int(a) if a else 0 for _, a, _, _ in flash["_parsed"]]
    flash["fairness"] = fairness(fixture.flash, flash["_outcomes"], arrivals)
    flash["fairness_by_client_send"] = fairness(fixture.flash, flash["_outcomes"], [int(s * 1e9) for s in fl.sent])

    from yiyun.booking.models import Booking

    first_booked = Booking.objects.filter(external_id__in=list(flash["_ids"])).order_by("created_at").first()
    last_booked = Booking.objects.filter(external_id__in=list(flash["_ids"])).order_by("-created_at").first()
    if first_booked and last_booked:
        flash["sellout_server_s"] = round((last_booked.created_at.timestamp() - release), 3)
    print("# flash:", json.dumps({k: v for k, v in flash.items() if not k.startswith("_")}, ensure_ascii=False),
          flush=True)

    checks = correctness(sustained["_ids"] | flash["_ids"])
    held = [i for i in flash["_ids"] | sustained["_ids"]]
    checks.update(pay_sample(sorted(held), args.pay_sample))
    print("# checks:", json.dumps(checks), flush=True)
    report["load_after"] = loadavg()
    report["sustained"] = {k: v for k, v in sustained.items() if not k.startswith("_")}
    report["flash"] = {k: v for k, v in flash.items() if not k.startswith("_")}
    report["checks"] = checks
    ceiling = report.get("db_ceiling", {}).get("per_s")
    bookings = sustained["bookings_per_s"]
    p99 = max(sustained["p99_ms"], flash["p99_ms"])
    summary = {
        "bookings_per_s": bookings, "db_ceiling_per_s": ceiling,
        "ratio": round(bookings / ceiling, 3) if ceiling else None,
        "soldout_answers_per_s": flash["soldout_answers_per_s"], "p99_ms": p99,
        "oversold": checks["oversold"],
        "double_booked": checks["number_twice"] + checks["patient_twice"] + checks["ticket_mismatch"],
        "lost_paid": checks["lost_paid"] + checks["accepted_not_stored"],
    }
    report["summary"] = summary
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    (out / f"booking-{report['backend']}-{stamp}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    print(f"# load average after: {report['load_after']}")
    print(f"# bookings/s {bookings}  attempts/s {sustained['attempts_per_s']}  p50 {sustained['p50_ms']} ms  "
          f"p99 {sustained['p99_ms']} ms (flash p99 {flash['p99_ms']} ms)  db ceiling {ceiling}/s  "
          f"ratio {summary['ratio']}  sold-out answers {flash['soldout_answers_per_s']}/s  "
          f"sell-out {flash['sellout_s']} s")
    print(json.dumps(summary))
    bad = summary["oversold"] or summary["double_booked"] or summary["lost_paid"]
    return 1 if bad else 0


def start_profiler(pid: int, seconds: float):
    children = [int(e) for e in os.listdir("/proc") if e.isdigit() and (_proc_stat(int(e)) or ("", 0, 0))[1] == pid]
    target = children[0] if children else pid
    spy = Path(sys.executable).parent / "py-spy"
    out = BENCH / "results" / f"profile-{target}.txt"
    out.parent.mkdir(exist_ok=True)
    return subprocess.Popen([str(spy), "record", "--pid", str(target), "--duration", str(int(seconds)),
                             "--format", "raw", "--rate", "250", "--nonblocking", "-o", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    sys.exit(main())
