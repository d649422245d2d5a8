"""My patients (就诊人) pages: list, add, edit, remove. Views only parse and call services/selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yiyun.audit.models import AccessLog
from yiyun.audit.services import context_from_request
from yiyun.core.errors import DomainError
from yiyun.core.forms import add_domain_error
from yiyun.patients import selectors, services
from yiyun.patients.forms import PatientEditForm, PatientForm


def _ctx(request):
    return context_from_request(request, channel=AccessLog.Channel.PAGE)


@login_required
def patient_list(request):
    patients = selectors.list_patients(ctx=_ctx(request))
    return render(request, "patients/list.html", {"patients": patients, "nav": "mine"})


@login_required
@require_http_methods(["GET", "POST"])
def patient_add(request):
    form = PatientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            patient, created = services.add_patient(ctx=_ctx(request), **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("已添加就诊人：%(name)s") % {"name": patient.name} if created
                             else _("该就诊人已在列表中"))
            return redirect("patients:list")
    return render(request, "patients/form.html", {"form": form, "nav": "mine", "adding": True})


@login_required
@require_http_methods(["GET", "POST"])
def patient_edit(request, patient_id):
    ctx = _ctx(request)
    if request.method == "POST":
        form = PatientEditForm(request.POST)
        patient = None
        if form.is_valid():
            changes = dict(form.cleaned_data)
            if not changes["phone"]:
                changes.pop("phone")  # blank keeps the number on file
            try:
                patient = services.update_patient(ctx=ctx, external_id=patient_id, **changes)
            except DomainError as error:
                if error.status == 404:
                    raise
                add_domain_error(form, error)
            else:
                messages.success(request, _("已保存"))
                return redirect("patients:list")
        patient = selectors.access_patient(ctx=ctx, external_id=patient_id)
    else:
        patient = selectors.access_patient(ctx=ctx, external_id=patient_id)
        form = PatientEditForm(initial={
            "relationship": patient.relationship, "phone": "", "allergies": patient.allergies,
            "chronic_conditions": patient.chronic_conditions, "is_default": patient.is_default,
        })
    return render(request, "patients/form.html", {"form": form, "patient": patient, "nav": "mine", "adding": False})


@login_required
@require_POST
def patient_remove(request, patient_id):
    services.remove_patient(ctx=_ctx(request), external_id=patient_id)
    messages.success(request, _("已移除就诊人"))
    return redirect("patients:list")
