"""A patient's view of who accessed the records of the 就诊人 their account manages."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from yiyun.audit.selectors import access_history_for_account
from yiyun.core.apikit import ERROR_RESPONSES

router = Router(tags=["访问记录 Access log"])


class AccessOut(Schema):
    at: dt.datetime
    actor: str
    actor_role: str
    patient: str | None
    action: str
    outcome: str
    channel: str


@router.get("", response={200: list[AccessOut], **ERROR_RESPONSES}, summary="谁查看了我的就诊人记录")
def my_access_log(request, others_only: bool = False, limit: int = 50, offset: int = 0):
    limit = max(1, min(limit, 200))
    rows = access_history_for_account(user=request.user, others_only=others_only)[offset: offset + limit]
    return [{"at": r.at, "actor": "本人" if r.actor_id == request.user.pk else r.actor_label,
             "actor_role": r.actor_role, "patient": r.patient.name if r.patient_id else None,
             "action": r.action, "outcome": r.outcome, "channel": r.channel} for r in rows]
