"""Running a triage conversation: start it, answer the follow-up questions, add free text; the engine
decides, this module stores the state, maps the result onto a hospital's clinics and doctors, and logs.

AI output is labelled 由AI生成，仅供参考 by the engine; possible conditions are "可能相关", never a diagnosis;
an emergency (red flag) offers 120 and no online consultation. No text leaves this process."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yiyun.audit.models import AccessLog
from yiyun.audit.services import AccessContext, record_access
from yiyun.catalog.models import Hospital
from yiyun.core import ratelimit
from yiyun.core.errors import NotFound, ValidationFailed
from yiyun.triage import TriageError, get_engine
from yiyun.triage.engine import OPTIONS
from yiyun.triage.models import TriageSession
from yiyun.triage.selectors import access_session, map_departments, match_doctors

MAX_MESSAGE = 500
EMERGENCY = "EMERGENCY_NOW"


@dataclass(frozen=True)
class Context:
    age: int | None
    sex: str | None
    pregnant: bool | None
    patient_id: int | None


def _check_message(message: str) -> str:
    message = (message or "").strip()
    if not message:
        raise ValidationFailed.field("message", "请描述哪里不舒服", "Describe what is wrong", code="message_required")
    if len(message) > MAX_MESSAGE:
        raise ValidationFailed.field("message", f"描述请不超过{MAX_MESSAGE}字", f"At most {MAX_MESSAGE} characters",
                                     code="message_too_long")
    return message


def _check_rate(ctx: AccessContext) -> None:
    who = f"u{ctx.actor.pk}" if getattr(ctx.actor, "pk", None) else f"ip{ctx.ip or 'unknown'}"
    ratelimit.hit("triage", who, limit=settings.TRIAGE_RATE[0], window=settings.TRIAGE_RATE[1])


def _patient_context(ctx: AccessContext, patient_id, *, age, sex, pregnant) -> Context:
    """The chosen 就诊人's age and sex (the account's own patients only), else what the request says."""
    if patient_id:
        if not getattr(ctx.actor, "pk", None):
            raise NotFound("未找到该就诊人", "Patient not found", code="patient_not_found")
        from yiyun.patients.selectors import access_patient

        patient = access_patient(ctx=ctx, external_id=patient_id)
        return Context(age=patient.age, sex=patient.sex, pregnant=pregnant, patient_id=patient.pk)
    if age is not None and not 0 <= int(age) <= 120:
        raise ValidationFailed.field("age", "年龄应在0到120岁之间", "Age must be between 0 and 120", code="age_invalid")
    if sex not in (None, "", "M", "F"):
        raise ValidationFailed.field("sex", "性别应为M或F", "Sex must be M or F", code="sex_invalid")
    return Context(age=age, sex=sex or None, pregnant=pregnant, patient_id=None)


def _hospital(hospital_id) -> Hospital | None:
    if not hospital_id:
        return None
    from yiyun.catalog.selectors import get_hospital

    return get_hospital(external_id=hospital_id)


def _intent(message: str) -> dict:
    from yiyun.triage.intent import classify

    found = classify(message)
    return {"label": found.label, "intent": found.intent, "confidence": round(found.confidence, 3)}


def result_of(session: TriageSession) -> dict:
    """The engine's answer for the stored state, mapped onto the session's hospital and its doctors."""
    result = get_engine().result(session.state)
    departments = map_departments(result["departments"], session.hospital)
    emergency = result["care_level"] == EMERGENCY
    doctors = [] if emergency else match_doctors(departments=departments, keywords=result.get("keywords", []),
                                                  hospital=session.hospital)
    return {
        **result, "id": str(session.external_id), "departments": departments, "doctors": doctors,
        "online_consultation": not emergency,
        "intent": session.state.get("yiyun_intent"),
        "hospital_id": str(session.hospital.external_id) if session.hospital_id else None,
    }


# The quick replies as the engine names them (one list, marked for translation: the page shows them translated).
ANSWER_LABELS = {option["value"]: option["label"] for option in OPTIONS}


def _save(session: TriageSession, state: dict, *, said: str, answer: str | None = None) -> None:
    """Store the new state; the transcript gets what the patient said and, if asking, the next question."""
    result = get_engine().result(state)
    session.state = state
    session.status = result["status"]
    session.care_level = result["care_level"]
    session.updated_at = timezone.now()
    line = {"who": "patient", "text": said, **({"answer": answer} if answer else {})}
    session.transcript = [*session.transcript, line]
    if result["status"] == "asking" and result["question"]:
        question = result["question"]
        session.transcript.append({"who": "ai", "text": question["text"], "text_en": question.get("text_en")})


def start(*, ctx: AccessContext, message: str, age: int | None = None, sex: str | None = None,
          pregnant: bool | None = None, patient_id=None, hospital_id=None) -> TriageSession:
    message = _check_message(message)
    _check_rate(ctx)
    context = _patient_context(ctx, patient_id, age=age, sex=sex, pregnant=pregnant)
    hospital = _hospital(hospital_id)
    state = get_engine().start(message, age=context.age, sex=context.sex, pregnant=context.pregnant)
    intent = _intent(message)
    state["yiyun_intent"] = intent
    account = ctx.actor if getattr(ctx.actor, "pk", None) else None
    with transaction.atomic():
        session = TriageSession(account=account, patient_id=context.patient_id, hospital=hospital,
                                age=context.age, sex=context.sex or "", pregnant=context.pregnant,
                                intent=intent["intent"])
        _save(session, state, said=message)
        session.save()
        if session.patient_id:
            record_access(ctx, patient=session.patient_id, action=AccessLog.Action.CREATE, record_type="triage",
                          record_id=session.external_id)
    return session


def answer(*, ctx: AccessContext, session_id, question_id: str, answer: str) -> TriageSession:
    session = access_session(ctx=ctx, external_id=session_id, action=AccessLog.Action.UPDATE)
    with transaction.atomic():
        session = TriageSession.objects.select_for_update(of=("self",)).select_related("hospital").get(pk=session.pk)
        try:
            state = get_engine().answer(session.state, question_id, answer)
        except TriageError as exc:
            raise ValidationFailed.field("answer", "该问题已回答或答案无效，请刷新后重试",
                                         "This question is not pending or the answer is not yes/no/unsure",
                                         code="answer_invalid") from exc
        _save(session, {**state, "yiyun_intent": session.state.get("yiyun_intent")},
              said=ANSWER_LABELS.get(answer, answer), answer=answer)
        session.save(update_fields=["state", "transcript", "status", "care_level", "updated_at"])
    return session


def add_message(*, ctx: AccessContext, session_id, message: str) -> TriageSession:
    """More free text later in the conversation; red flags are checked again and never lowered."""
    message = _check_message(message)
    _check_rate(ctx)
    session = access_session(ctx=ctx, external_id=session_id, action=AccessLog.Action.UPDATE)
    with transaction.atomic():
        session = TriageSession.objects.select_for_update(of=("self",)).select_related("hospital").get(pk=session.pk)
        state = get_engine().add_message(session.state, message)
        _save(session, {**state, "yiyun_intent": session.state.get("yiyun_intent")}, said=message)
        session.save(update_fields=["state", "transcript", "status", "care_level", "updated_at"])
    return session
