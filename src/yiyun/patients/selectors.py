"""Reads of 就诊人 records. Every function that returns a record checks access and logs it."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from yiyun.audit.models import AccessLog
from yiyun.audit.services import AccessContext, record_access, record_list_access
from yiyun.core.errors import NotFound
from yiyun.patients.models import Patient
from yiyun.patients.policies import can_access

PATIENT_NOT_FOUND = ("未找到该就诊人", "Patient not found")


def _active_for(user) -> QuerySet[Patient]:
    return Patient.objects.filter(account=user, removed_at__isnull=True)


def list_patients(*, ctx: AccessContext) -> list[Patient]:
    patients = list(_active_for(ctx.actor))
    record_list_access(ctx, patients=patients)
    return patients


def access_patient(*, ctx: AccessContext, external_id, action: str = AccessLog.Action.VIEW) -> Patient:
    """The record, if the actor may see it; otherwise 404 (never 403: existence is not revealed),
    and a denied attempt on an existing record is logged against it. Call it outside the write
    transaction so that a denial's log row survives the error."""
    try:
        key = uuid.UUID(str(external_id))
    except ValueError:
        raise NotFound(*PATIENT_NOT_FOUND, code="patient_not_found") from None
    patient = Patient.objects.filter(external_id=key).first()
    if patient is None or not can_access(ctx.actor, patient, action=action):
        if patient is not None:
            record_access(ctx, patient=patient, action=action, outcome=AccessLog.Outcome.DENIED)
        raise NotFound(*PATIENT_NOT_FOUND, code="patient_not_found")
    record_access(ctx, patient=patient, action=action)
    return patient
