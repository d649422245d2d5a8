"""WebSocket consumers of the live queue pages. They send change notices and calls, never records:
the department screen is public (numbers and masked names only); the doctor's and the patient's sockets
check the same object-level rules as their pages (the same selectors, so refusals are logged too)."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from yiyun.audit.models import AccessLog
from yiyun.audit.services import AccessContext
from yiyun.booking.selectors import access_booking
from yiyun.core.errors import DomainError
from yiyun.queue import broadcast, selectors

REFUSED = 4404  # close code: not found (or not yours)


def context_from_scope(scope) -> AccessContext:
    user = scope.get("user")
    headers = dict(scope.get("headers") or [])
    return AccessContext(
        actor=user if user is not None and user.is_authenticated else None, channel=AccessLog.Channel.PAGE,
        ip=(scope.get("client") or ["", 0])[0] or "", path=scope.get("path", "")[:200],
        user_agent=headers.get(b"user-agent", b"").decode("latin-1")[:200])


class QueueConsumer(AsyncJsonWebsocketConsumer):
    """Joins the groups `find_groups` returns (or closes with 4404) and relays queue messages."""

    joined: list[str]

    async def connect(self):
        self.joined = []
        try:
            groups = await database_sync_to_async(self.find_groups)(**self.scope["url_route"]["kwargs"])
        except DomainError:
            await self.close(code=REFUSED)
            return
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
            self.joined.append(group)
        await self.accept()

    async def disconnect(self, code):
        for group in getattr(self, "joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    def find_groups(self, **kwargs) -> list[str]:
        raise NotImplementedError

    async def queue_changed(self, event):
        await self.send_json({"event": "changed", "session": event["session"]})

    async def queue_call(self, event):
        await self.send_json({"event": "call", **{k: v for k, v in event.items() if k != "type"}})

    async def queue_called(self, event):
        await self.send_json({"event": "called", **{k: v for k, v in event.items() if k != "type"}})

    async def receive_json(self, content, **kwargs):
        """Nothing is accepted from clients."""


class DepartmentScreenConsumer(QueueConsumer):
    def find_groups(self, *, department_id):
        department = selectors.public_department(department_id=department_id)
        return [broadcast.department_group(department.external_id)]


class DoctorSessionConsumer(QueueConsumer):
    def find_groups(self, *, session_id):
        session, _, _ = selectors.access_doctor_session(ctx=context_from_scope(self.scope), session_id=session_id)
        return [broadcast.session_group(session.external_id)]


class PatientBookingConsumer(QueueConsumer):
    def find_groups(self, *, booking_id):
        booking = access_booking(ctx=context_from_scope(self.scope), external_id=booking_id)
        return [broadcast.booking_group(booking.external_id), broadcast.session_group(booking.session.external_id)]
