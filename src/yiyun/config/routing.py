"""WebSocket routes; each domain app that pushes live updates adds its consumers here."""

from yiyun.queue.routing import websocket_urlpatterns as queue_routes

websocket_urlpatterns: list = [*queue_routes]
