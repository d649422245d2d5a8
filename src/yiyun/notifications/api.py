"""The account's inbox."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema, Status

from yiyun.core.apikit import ERROR_RESPONSES
from yiyun.notifications import selectors, services

router = Router(tags=["消息 Notifications"])


class NotificationOut(Schema):
    id: str
    kind: str
    title: str
    body: str
    link: str
    created_at: dt.datetime
    read: bool


@router.get("", response={200: list[NotificationOut], **ERROR_RESPONSES}, summary="我的消息")
def list_notifications(request, unread_only: bool = False, limit: int = 50, offset: int = 0):
    rows = selectors.inbox(account=request.user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    limit = max(1, min(limit, 200))
    return [{"id": str(n.external_id), "kind": n.kind, "title": n.title, "body": n.body, "link": n.link,
             "created_at": n.created_at, "read": n.read_at is not None} for n in rows[offset: offset + limit]]


@router.post("/{notification_id}/read", response={204: None, **ERROR_RESPONSES}, summary="标为已读")
def read(request, notification_id: str):
    services.mark_read(account=request.user, external_id=notification_id)
    return Status(204, None)
