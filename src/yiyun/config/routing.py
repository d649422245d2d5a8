"""WebSocket routes; each domain app that pushes live updates adds its consumers here."""

websocket_urlpatterns: list = []
