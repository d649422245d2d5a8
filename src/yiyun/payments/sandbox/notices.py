"""The notifications the sandbox gateway owes the merchant: queued in the gateway's transaction, sent after
it commits, signed at each attempt, retried with backoff (settings.PAYMENTS_SANDBOX_RETRY_SECONDS, like
微信支付's 15s/15s/30s/3m/10m/…) until acknowledged, and subject to the configured faults."""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import secrets
import urllib.error
import urllib.request
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yiyun.payments.sandbox import signing
from yiyun.payments.sandbox.faults import current_faults
from yiyun.payments.sandbox.models import SandboxNotice, SandboxRefund, SandboxTrade

logger = logging.getLogger("yiyun.payments.sandbox")

PAYMENT_SUCCESS = "TRANSACTION.SUCCESS"
REFUND_SUCCESS = "REFUND.SUCCESS"
REFUND_ABNORMAL = "REFUND.ABNORMAL"
LAST_CHANCE_LEASE = dt.timedelta(minutes=10)


def _iso(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def resource_for(trade: SandboxTrade, refund: SandboxRefund | None = None) -> dict:
    """What the notice says, frozen when it is queued (a late notice tells old news, as real ones do)."""
    data = {"out_trade_no": trade.out_trade_no, "transaction_id": trade.trade_no, "trade_state": trade.state,
            "amount": {"total": trade.amount_fen}, "success_time": _iso(trade.paid_at)}
    if refund is not None:
        data.update({"out_refund_no": refund.out_refund_no, "refund_id": refund.refund_no,
                     "refund_status": refund.state,
                     "amount": {"total": trade.amount_fen, "refund": refund.amount_fen}})
    return data


def queue_notice(*, trade: SandboxTrade, event_type: str,
                 refund: SandboxRefund | None = None) -> SandboxNotice:
    """Owe the merchant a notification. Call inside the transaction that changed the trade."""
    faults = current_faults()
    now = timezone.now()
    notice = SandboxNotice(notice_id=uuid.uuid4().hex, trade=trade, refund=refund, event_type=event_type,
                           resource=resource_for(trade, refund), extra_copies=faults.duplicate,
                           next_attempt_at=now + dt.timedelta(seconds=faults.delay_seconds))
    if faults.drop_rate and random.random() < faults.drop_rate:
        notice.status, notice.next_attempt_at = SandboxNotice.Status.DROPPED, None
    notice.save()
    if notice.status == SandboxNotice.Status.QUEUED and not faults.delay_seconds and not faults.reorder:
        transaction.on_commit(lambda: _enqueue(notice.pk), robust=True)
    return notice


def _enqueue(notice_id: int) -> None:
    from yiyun.payments.sandbox.tasks import deliver_notice

    deliver_notice.delay(notice_id)


def deliver_due(*, now: dt.datetime | None = None) -> int:
    """Send every notice whose time has come (newest first when reordering). Returns how many were acked."""
    now = now or timezone.now()
    due = SandboxNotice.objects.filter(status=SandboxNotice.Status.QUEUED, next_attempt_at__lte=now)
    order = ["-created_at", "-id"] if current_faults().reorder else ["next_attempt_at", "id"]
    return sum(deliver(pk, now=now) for pk in due.order_by(*order).values_list("pk", flat=True))


def deliver(notice_id: int, *, now: dt.datetime | None = None) -> bool:
    """One delivery attempt (plus any duplicate copies). True when the merchant acknowledged it."""
    now = now or timezone.now()
    claimed = _claim(notice_id, now)
    if claimed is None:
        return False
    notice, copies, last_chance = claimed
    body, headers = signed_request(notice)
    answers = [_post(body, headers) for _ in range(copies)]
    acked = any(_is_ack(status, answer) for status, answer in answers)
    with transaction.atomic():
        notice = SandboxNotice.objects.select_for_update().get(pk=notice.pk)
        status, answer = answers[-1]
        notice.last_response = f"{status} {answer[:160].decode('utf-8', 'replace')}"
        if acked:
            notice.status, notice.delivered_at, notice.next_attempt_at = (
                SandboxNotice.Status.DELIVERED, timezone.now(), None)
        elif last_chance:
            notice.status, notice.next_attempt_at = SandboxNotice.Status.GAVE_UP, None
        notice.save()
    return acked


def _claim(notice_id: int, now: dt.datetime):
    """Take the notice for one attempt: its next attempt time moves to the retry time first, so a second
    sweeper leaves it alone and a crash mid-attempt just means a retry."""
    schedule = list(settings.PAYMENTS_SANDBOX_RETRY_SECONDS)
    with transaction.atomic():
        notice = SandboxNotice.objects.select_for_update().filter(pk=notice_id).first()
        if notice is None or notice.status != SandboxNotice.Status.QUEUED:
            return None
        if notice.next_attempt_at is not None and notice.next_attempt_at > now:
            return None
        notice.attempts += 1
        last_chance = notice.attempts > len(schedule)
        wait = LAST_CHANCE_LEASE if last_chance else dt.timedelta(seconds=schedule[notice.attempts - 1])
        notice.next_attempt_at = now + wait
        copies = 1 + notice.extra_copies
        notice.extra_copies = 0
        notice.save()
    return notice, copies, last_chance


def signed_request(notice: SandboxNotice) -> tuple[bytes, dict[str, str]]:
    body = json.dumps({"id": notice.notice_id, "event_type": notice.event_type,
                       "create_time": _iso(notice.created_at), "resource": notice.resource},
                      ensure_ascii=False, separators=(",", ":")).encode()
    timestamp, nonce = str(int(timezone.now().timestamp())), secrets.token_hex(16)
    sig = signing.signature(key=signing.merchant_key(), timestamp=timestamp, nonce=nonce, body=body)
    return body, {signing.HEADER_TIMESTAMP: timestamp, signing.HEADER_NONCE: nonce,
                  signing.HEADER_SIGNATURE: sig, "Content-Type": "application/json"}


def _is_ack(status: int, answer: bytes) -> bool:
    if status != 200:
        return False
    try:
        return json.loads(answer).get("code") == "SUCCESS"
    except (ValueError, AttributeError):
        return False


def _post(body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    """Send to the merchant: over HTTP to PAYMENTS_SANDBOX_NOTIFY_URL, or (unset) in-process to the same
    handler the notify endpoint calls. Any failure is an answer the gateway retries on."""
    url = settings.PAYMENTS_SANDBOX_NOTIFY_URL
    try:
        if not url:
            from yiyun.payments.services import handle_notification

            return handle_notification(provider="sandbox", body=body, headers=headers)
        if not url.startswith(("http://", "https://")):
            raise ValueError("PAYMENTS_SANDBOX_NOTIFY_URL must be http(s)")
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except Exception:
        logger.exception("sandbox notice delivery failed")
        return 0, b""
