"""The embedded demo's stand-in for Celery beat: a daemon thread that runs settings.PERIODIC_TASKS (the
same Celery tasks, by name, that beat runs in production) at their intervals, inside the serving process."""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger("yiyun.ticker")


def task_named(name: str):
    from yiyun.config.celery import app

    app.loader.import_default_modules()
    return app.tasks[name]


def run_due(last_run: dict[str, float], now: float) -> list[str]:
    """Run every task whose interval has passed; returns the names run (for tests)."""
    ran = []
    for name, seconds in settings.PERIODIC_TASKS.items():
        if now - last_run.get(name, 0.0) < seconds:
            continue
        last_run[name] = now
        try:
            close_old_connections()
            task_named(name)()
            ran.append(name)
        except Exception:  # a failing task must not stop the others
            logger.exception("periodic task %s failed", name)
    return ran


def start(interval: float = 5.0) -> threading.Thread:
    def loop():
        last_run: dict[str, float] = {}
        while True:
            run_due(last_run, time.monotonic())
            time.sleep(interval)

    thread = threading.Thread(target=loop, name="yiyun-ticker", daemon=True)
    thread.start()
    return thread
