"""`yiyun serve`: HTTP and WebSockets from one ASGI server (uvicorn) — the demo and small sites.
Production runs granian (WSGI) for HTTP and uvicorn for WebSockets; see docs/architecture.md."""

import os

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve HTTP and WebSocket on one ASGI server (uvicorn)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=1)
        parser.add_argument("--ticker", choices=["auto", "on", "off"], default="auto",
                            help="run periodic tasks in-process (auto: when there is no Redis/Celery beat)")

    def handle(self, *args, host, port, workers, ticker, **options):
        import uvicorn
        from django.conf import settings

        if ticker == "on" or (ticker == "auto" and not settings.REDIS_URL):
            from yiyun.core import ticker as in_process

            in_process.start()
            self.stdout.write("periodic tasks: in-process ticker (hold expiry, no-shows, reminders, schedules)")

        self.stdout.write(f"医云 Yiyun → http://{host}:{port}/  (API docs: http://{host}:{port}/api/docs)")
        uvicorn.run("yiyun.config.asgi:application", host=host, port=port, workers=workers, log_level="info",
                    lifespan="off", ws="websockets-sansio" if _has_sansio() else "auto")


def _has_sansio() -> bool:
    try:
        import websockets.sansio  # noqa: F401
    except ImportError:
        return False
    return True
