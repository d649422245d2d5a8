"""Sending notifications. Messages say what happened and what to do next, never an ID number; the
SMS goes to the account's own number after the surrounding transaction commits."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from yiyun.notifications.models import Notification


def notify(*, account, kind: str, title: str, body: str, link: str = "", sms: str = "",
           dedupe_key: str | None = None) -> Notification | None:
    """Put a message in the account's inbox; with `sms`, also text it. A repeated `dedupe_key` sends
    nothing (e.g. the day-before reminder of one booking)."""
    try:
        with transaction.atomic():
            note = Notification.objects.create(account=account, kind=kind, title=title[:60], body=body, link=link,
                                               sms_text=sms[:200], dedupe_key=dedupe_key)
    except IntegrityError:
        return None
    if sms:
        from yiyun.notifications.tasks import send_sms

        transaction.on_commit(lambda: send_sms.delay(note.pk))
    return note


def deliver_sms(*, notification_id: int) -> bool:
    from yiyun.core.sms import get_sender

    with transaction.atomic():
        note = Notification.objects.select_for_update().select_related("account").filter(pk=notification_id).first()
        if note is None or not note.sms_text or note.sms_sent_at is not None:
            return False
        get_sender().send(phone=note.account.phone, text=note.sms_text)
        note.sms_sent_at = timezone.now()
        note.save(update_fields=["sms_sent_at"])
    return True


def mark_read(*, account, external_id) -> None:
    Notification.objects.filter(account=account, external_id=external_id, read_at__isnull=True).update(
        read_at=timezone.now())


def mark_all_read(*, account) -> int:
    return Notification.objects.filter(account=account, read_at__isnull=True).update(read_at=timezone.now())
