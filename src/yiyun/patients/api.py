"""就诊人 endpoints: an account's own patients only; anyone else's record answers 404."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema, Status

from yiyun.audit.models import AccessLog
from yiyun.audit.services import context_from_request
from yiyun.core.apikit import ERROR_RESPONSES
from yiyun.patients import selectors, services

router = Router(tags=["就诊人 Patients"])


class PatientIn(Schema):
    name: str
    sex: str
    birth_date: dt.date
    id_number: str
    relationship: str
    phone: str = ""
    allergies: str = ""
    chronic_conditions: str = ""
    is_default: bool = False


class PatientPatch(Schema):
    relationship: str | None = None
    phone: str | None = None
    allergies: str | None = None
    chronic_conditions: str | None = None
    is_default: bool | None = None
    # Present so that an attempt to change them gets a clear error instead of being ignored.
    name: str | None = None
    sex: str | None = None
    birth_date: dt.date | None = None
    id_number: str | None = None


class PatientOut(Schema):
    id: str
    name: str
    sex: str
    birth_date: dt.date
    age: int
    relationship: str
    relationship_label: str
    id_number: str
    phone: str
    allergies: str
    chronic_conditions: str
    is_default: bool
    verified: bool


def patient_out(patient) -> dict:
    return {
        "id": str(patient.external_id), "name": patient.name, "sex": patient.sex, "birth_date": patient.birth_date,
        "age": patient.age, "relationship": patient.relationship,
        "relationship_label": patient.get_relationship_display(), "id_number": patient.masked_id_number,
        "phone": patient.masked_phone, "allergies": patient.allergies,
        "chronic_conditions": patient.chronic_conditions, "is_default": patient.is_default,
        "verified": patient.verified_at is not None,
    }


def _ctx(request):
    return context_from_request(request, channel=AccessLog.Channel.API)


@router.get("", response={200: list[PatientOut], **ERROR_RESPONSES}, summary="我的就诊人")
def list_patients(request):
    return [patient_out(p) for p in selectors.list_patients(ctx=_ctx(request))]


@router.post("", response={201: PatientOut, 200: PatientOut, **ERROR_RESPONSES}, summary="添加就诊人")
def add_patient(request, payload: PatientIn):
    patient, created = services.add_patient(ctx=_ctx(request), **payload.dict())
    return Status(201 if created else 200, patient_out(patient))


@router.get("/{patient_id}", response={200: PatientOut, **ERROR_RESPONSES}, summary="就诊人详情")
def get_patient(request, patient_id: str):
    return patient_out(selectors.access_patient(ctx=_ctx(request), external_id=patient_id))


@router.patch("/{patient_id}", response={200: PatientOut, **ERROR_RESPONSES}, summary="修改就诊人")
def update_patient(request, patient_id: str, payload: PatientPatch):
    changes = payload.dict(exclude_unset=True)
    return patient_out(services.update_patient(ctx=_ctx(request), external_id=patient_id, **changes))


@router.delete("/{patient_id}", response={204: None, **ERROR_RESPONSES}, summary="移除就诊人")
def remove_patient(request, patient_id: str):
    services.remove_patient(ctx=_ctx(request), external_id=patient_id)
    return Status(204, None)
