"""Triage turn by turn: start, answer a follow-up question, add text, resume. Open without an account
(age and sex then come from the request) or for one of the account's own 就诊人."""

from __future__ import annotations

from ninja import Router, Schema, Status

from yiyun.audit.models import AccessLog
from yiyun.audit.services import context_from_request
from yiyun.core.apikit import ERROR_RESPONSES, OPTIONAL_AUTH
from yiyun.triage import services
from yiyun.triage.selectors import access_session

router = Router(tags=["智能导诊 Triage"], auth=OPTIONAL_AUTH)


class StartIn(Schema):
    message: str
    age: int | None = None
    sex: str | None = None
    pregnant: bool | None = None
    patient_id: str | None = None
    hospital_id: str | None = None


class AnswerIn(Schema):
    question_id: str
    answer: str


class MessageIn(Schema):
    message: str


class TriageOut(Schema):
    id: str
    status: str
    question: dict | None
    care_level: str
    care_advice: str | None = None
    emergency_message: str | None = None
    crisis_hotline: str | None = None
    red_flags: list[dict]
    departments: list[dict]
    doctors: list[dict]
    conditions: list[dict]
    evidence: dict
    intent: dict | None = None
    online_consultation: bool
    hospital_id: str | None = None
    ai_label: str


def _ctx(request):
    return context_from_request(request, channel=AccessLog.Channel.API)


@router.post("/sessions", response={201: TriageOut, **ERROR_RESPONSES}, summary="开始导诊（主诉）")
def start(request, payload: StartIn):
    session = services.start(ctx=_ctx(request), **payload.dict())
    return Status(201, services.result_of(session))


@router.post("/sessions/{session_id}/answers", response={200: TriageOut, **ERROR_RESPONSES}, summary="回答追问")
def answer(request, session_id: str, payload: AnswerIn):
    session = services.answer(ctx=_ctx(request), session_id=session_id, question_id=payload.question_id,
                              answer=payload.answer)
    return services.result_of(session)


@router.post("/sessions/{session_id}/messages", response={200: TriageOut, **ERROR_RESPONSES}, summary="补充描述")
def message(request, session_id: str, payload: MessageIn):
    return services.result_of(services.add_message(ctx=_ctx(request), session_id=session_id,
                                                   message=payload.message))


@router.get("/sessions/{session_id}", response={200: TriageOut, **ERROR_RESPONSES}, summary="继续/查看导诊")
def resume(request, session_id: str):
    return services.result_of(access_session(ctx=_ctx(request), external_id=session_id))
