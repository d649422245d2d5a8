"""The conversational triage page: say what is wrong, answer a few yes/no/unsure questions (chips), get
the care level, departments of the chosen hospital, doctors with free slots and the evidence."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from yiyun.audit.models import AccessLog
from yiyun.audit.services import context_from_request
from yiyun.catalog import selectors as catalog
from yiyun.core.errors import DomainError
from yiyun.core.forms import message_for
from yiyun.triage import services
from yiyun.triage.selectors import access_session


def _ctx(request):
    return context_from_request(request, channel=AccessLog.Channel.PAGE)


def _int_or_none(raw: str | None) -> int | None:
    try:
        return int(raw) if raw not in (None, "") else None
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
def start_page(request):
    ctx = _ctx(request)
    my_patients = []
    if request.user.is_authenticated:
        from yiyun.patients.selectors import list_patients

        my_patients = list_patients(ctx=ctx)
    error = None
    if request.method == "POST":
        patient_id = request.POST.get("patient_id") or None
        try:
            session = services.start(
                ctx=ctx, message=request.POST.get("message", ""), patient_id=patient_id,
                age=None if patient_id else _int_or_none(request.POST.get("age")),
                sex=None if patient_id else (request.POST.get("sex") or None),
                pregnant=request.POST.get("pregnant") == "1" or None,
                hospital_id=request.POST.get("hospital_id") or None)
        except DomainError as exc:
            if exc.status in (404, 429):
                raise
            error = message_for(exc)
        else:
            return redirect("triage:session", session_id=session.external_id)
    return render(request, "triage/start.html", {
        "patients": my_patients, "hospitals": catalog.list_hospitals(), "error": error, "form": request.POST,
        "nav": "home"})


def session_page(request, session_id):
    session = access_session(ctx=_ctx(request), external_id=session_id)
    result = services.result_of(session)
    template = "triage/_chat.html" if request.headers.get("HX-Request") else "triage/session.html"
    return render(request, template, {"session": session, "result": result, "nav": "home"})


@require_POST
def answer_view(request, session_id):
    try:
        services.answer(ctx=_ctx(request), session_id=session_id, question_id=request.POST.get("question_id", ""),
                        answer=request.POST.get("answer", ""))
    except DomainError as exc:
        if exc.status in (404, 429):
            raise
        messages.error(request, message_for(exc))
    return _show(request, session_id)


@require_POST
def message_view(request, session_id):
    try:
        services.add_message(ctx=_ctx(request), session_id=session_id, message=request.POST.get("message", ""))
    except DomainError as exc:
        if exc.status in (404, 429):
            raise
        messages.error(request, message_for(exc))
    return _show(request, session_id)


def _show(request, session_id):
    if request.headers.get("HX-Request"):
        return session_page(request, session_id)
    return redirect("triage:session", session_id=session_id)
