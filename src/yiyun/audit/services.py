"""Writing the access log. Selectors and services that touch a patient's record call `record_access`
in the same request; it never stores secrets or identifiers beyond the record's public id."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from yiyun.audit.models import AccessLog
from yiyun.core.net import client_ip


@dataclass(frozen=True)
class AccessContext:
    """Who is asking and from where; built once per request (see `context_from_request`)."""

    actor: object | None
    channel: str = AccessLog.Channel.PAGE
    ip: str = ""
    user_agent: str = ""
    path: str = ""
    hospital_id: int | None = None

    @property
    def actor_role(self) -> str:
        return getattr(self.actor, "primary_role", "") if self.actor is not None else "anonymous"

    @property
    def actor_label(self) -> str:
        if self.actor is None or not getattr(self.actor, "is_authenticated", False):
            return "匿名访问"
        return str(self.actor)


def context_from_request(request, *, channel: str) -> AccessContext:
    user = request.user if getattr(request, "user", None) is not None and request.user.is_authenticated else None
    return AccessContext(
        actor=user, channel=channel, ip=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") or "")[:200], path=request.path[:200],
    )


def system_context() -> AccessContext:
    return AccessContext(actor=None, channel=AccessLog.Channel.SYSTEM)


def _row(ctx: AccessContext, *, patient_id, action, outcome, record_type, record_id) -> AccessLog:
    actor = ctx.actor if ctx.actor is not None and getattr(ctx.actor, "pk", None) else None
    return AccessLog(
        actor=actor, actor_role=ctx.actor_role, actor_label=ctx.actor_label[:80], patient_id=patient_id,
        hospital_id=ctx.hospital_id, record_type=record_type, record_id=str(record_id or "")[:64], action=action,
        outcome=outcome, channel=ctx.channel, ip=ctx.ip, user_agent=ctx.user_agent, path=ctx.path,
    )


def record_access(ctx: AccessContext, *, patient, action: str, outcome: str = AccessLog.Outcome.ALLOWED,
                  record_type: str = "patient", record_id=None) -> None:
    patient_id = getattr(patient, "pk", patient)
    if record_id is None and patient is not None and hasattr(patient, "external_id"):
        record_id = patient.external_id
    _row(ctx, patient_id=patient_id, action=action, outcome=outcome, record_type=record_type,
         record_id=record_id).save()


def record_list_access(ctx: AccessContext, *, patients: Iterable, record_type: str = "patient") -> None:
    rows = [_row(ctx, patient_id=p.pk, action=AccessLog.Action.LIST, outcome=AccessLog.Outcome.ALLOWED,
                 record_type=record_type, record_id=p.external_id) for p in patients]
    if rows:
        AccessLog.objects.bulk_create(rows)
