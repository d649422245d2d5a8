"""Live updates over Channels groups, sent after the change commits: one group per department (the
waiting-room screen), per session (the doctor's page and the session's patients) and per booking (that
patient's page). Messages carry numbers and masked names only; pages fetch their own data (with the
access checks and the access log) when told something changed."""

from __future__ import annotations

import asyncio
import logging
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from yiyun.core.masking import mask_name_public

logger = logging.getLogger("yiyun.queue")


def _hex(external_id) -> str:
    return uuid.UUID(str(external_id)).hex


def department_group(external_id) -> str:
    return f"queue.dept.{_hex(external_id)}"


def session_group(external_id) -> str:
    return f"queue.session.{_hex(external_id)}"


def booking_group(external_id) -> str:
    return f"queue.booking.{_hex(external_id)}"


def _send(group: str, message: dict) -> None:
    """A lost live update costs a refresh (pages also poll when the socket is down), never a request."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:  # called from code running inside an event loop: hand the send to that loop
        asyncio.ensure_future(layer.group_send(group, message))
        return
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:
        logger.exception("queue broadcast to %s failed", group)


def queue_changed(*, session) -> None:
    session_id, department_id = str(session.external_id), str(session.department.external_id)

    def send():
        message = {"type": "queue.changed", "session": session_id}
        _send(session_group(session_id), message)
        _send(department_group(department_id), message)

    transaction.on_commit(send)


def patient_called(*, entry, recall: bool) -> None:
    """The call (叫号/重呼): a banner on the department's screen and an alert on the patient's page."""
    session, booking = entry.session, entry.booking
    call = {"session": str(session.external_id), "number": entry.number,
            "name": mask_name_public(booking.patient.name), "doctor": session.doctor.name,
            "room": session.department.location or session.department.name, "recall": recall}
    department_id, booking_id = str(session.department.external_id), str(booking.external_id)

    def send():
        _send(department_group(department_id), {"type": "queue.call", **call})
        _send(booking_group(booking_id), {"type": "queue.called", **call})

    transaction.on_commit(send)
