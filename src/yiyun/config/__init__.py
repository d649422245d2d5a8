"""Project configuration: settings, URL map, ASGI/WSGI entry points and the Celery app."""

from yiyun.config.celery import app as celery_app

__all__ = ["celery_app"]
