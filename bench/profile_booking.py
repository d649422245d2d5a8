"""Where the app's CPU goes on one booking: the production WSGI application called in-process (no HTTP
server, no other load), over a fresh PostgreSQL + Redis fixture, with CPU time per request and a cProfile
of the sustained and sold-out paths.

    .venv/bin/python bench/profile_booking.py [--requests 2000] [--top 35] [--sqlite]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import booking_flash as bf  # noqa: E402


def environ_for(request: bytes) -> dict:
    head, _, body = request.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    method, path, _ = lines[0].split(" ")
    env = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
           "SERVER_PORT": "8765", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
           "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr,
           "wsgi.multithread": True, "wsgi.multiprocess": True, "wsgi.run_once": False, "wsgi.version": (1, 0)}
    for line in lines[1:]:
        name, _, value = line.partition(": ")
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            env[key] = value
        else:
            env["HTTP_" + key] = value
    return env


def run(app, requests: list[bytes]) -> tuple[float, dict[str, int]]:
    statuses: dict[str, int] = {}

    def start_response(status, headers, exc_info=None):
        statuses[status[:3]] = statuses.get(status[:3], 0) + 1

    started = time.process_time()
    for request in requests:
        body = app(environ_for(request), start_response)
        b"".join(body)
        if hasattr(body, "close"):
            body.close()
    return (time.process_time() - started) * 1000 / max(1, len(requests)), statuses


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--requests", type=int, default=2000)
    p.add_argument("--top", type=int, default=35)
    p.add_argument("--sqlite", action="store_true")
    p.add_argument("--sort", default="tottime")
    p.add_argument("--env", action="append", default=[])
    p.add_argument("--no-profile", action="store_true", help="CPU per request only (cProfile adds overhead)")
    p.add_argument("--cold-profile", action="store_true", help="profile the sold-out answers with cold caches")
    p.add_argument("--soldout-profile", action="store_true", help="profile the sold-out answers (warm caches)")
    args = p.parse_args()
    fake = bf.argparse.Namespace(
        sqlite=args.sqlite, pg_admin_url="postgresql://postgres@127.0.0.1:5432/postgres", db="yiyun_profile",
        redis_url="redis://127.0.0.1:6379/12", sustained=max(400, args.requests + 400), flash=4000,
        flash_patients=1000, flash_doctors=10, flash_places=100, extra_env=dict(e.split("=", 1) for e in args.env))
    fake.db_url = fake.pg_admin_url.rsplit("/", 1)[0] + "/" + fake.db
    import os

    os.environ.update(bf.app_env(fake))
    bf.fresh_database(fake)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    fixture = bf.build_fixture(fake)
    import datetime as dt

    from django.utils import timezone

    bf.set_flash_release(timezone.now() - dt.timedelta(seconds=1), fixture.flash_window_places)
    from bench_app import application as app

    book = [bf.booking_request(a) for a in fixture.sustained]
    warm, book = book[:300], book[300:300 + args.requests]
    run(app, warm)
    profiler = cProfile.Profile(time.process_time)  # CPU, not wall time
    if not args.no_profile:
        profiler.enable()
    ms, statuses = run(app, book)
    profiler.disable()
    print(f"booking: {ms:.3f} ms CPU per request over {len(book)} requests {statuses}")
    flash = [bf.booking_request(a) for a in fixture.flash]
    run(app, flash[:1000])  # sells the windows out
    if args.soldout_profile:
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
    ms_full, statuses_full = run(app, flash[1000:3000])
    if args.soldout_profile:
        profiler.disable()
    print(f"sold out: {ms_full:.3f} ms CPU per request over 2000 requests {statuses_full}")
    from yiyun.accounts.selectors import forget_all_tokens
    from yiyun.booking import facts

    def cold(environ, start_response):  # as if this process had never seen the patient or the token
        forget_all_tokens()
        facts._patients.clear()
        return app(environ, start_response)

    if args.cold_profile:
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
    ms_cold, statuses_cold = run(cold, flash[1000:3000])
    if args.cold_profile:
        profiler.disable()
    print(f"sold out, cold caches: {ms_cold:.3f} ms CPU per request {statuses_cold}")
    from yiyun.core import rawredis

    def forget_everywhere():  # nobody has seen the token or the patient yet, not even Redis
        forget_all_tokens()
        facts._patients.clear()
        if rawredis.available():
            keys = rawredis.call("KEYS", "api-token-facts:*") + rawredis.call("KEYS", "patient-facts:*")
            if keys:
                rawredis.call("DEL", *keys)

    def first_sight(environ, start_response):
        forget_everywhere()
        return app(environ, start_response)

    started = time.process_time()
    for _ in range(1000):
        forget_everywhere()
    clearing = (time.process_time() - started) / 1000 * 1000
    ms_first, statuses_first = run(first_sight, flash[3000:4000])
    print(f"sold out, first sight of token and patient: {ms_first - clearing:.3f} ms CPU per request "
          f"(clearing subtracted) {statuses_first}")
    if args.no_profile:
        return 0
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
