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

    def handle(self, *args, host, port, workers, **options):
        import uvicorn

        self.stdout.write(f"医云 Yiyun → http://{host}:{port}/  (API docs: http://{host}:{port}/api/docs)")
        uvicorn.run("yiyun.config.asgi:application", host=host, port=port, workers=workers, log_level="info",
                    lifespan="off", ws="websockets-sansio" if _has_sansio() else "auto")


def _has_sansio() -> bool:
    try:
        import websockets.sansio  # noqa: F401
    except ImportError:
        return False
    return True
