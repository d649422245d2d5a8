"""Adding, editing and removing 就诊人. Real-name fields (name, sex, birth date, ID number) are fixed
once the patient is verified: a wrong one is removed and added again, so records stay bound to one person."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from yiyun.audit.models import AccessLog
from yiyun.audit.services import AccessContext, record_access
from yiyun.core.crypto import lookup_hash
from yiyun.core.errors import Conflict, ValidationFailed
from yiyun.core.validators import check_id_matches, normalize_phone, parse_resident_id
from yiyun.patients.models import Patient, Relationship
from yiyun.patients.selectors import access_patient

ID_HASH_PURPOSE = "resident-id"
PHONE_HASH_PURPOSE = "phone"
MAX_PATIENTS_PER_ACCOUNT = getattr(settings, "MAX_PATIENTS_PER_ACCOUNT", 8)
_NAME_RE = re.compile(r"^[\u4e00-\u9fa5A-Za-z·• ]{2,30}$")
EDITABLE_FIELDS = {"relationship", "phone", "allergies", "chronic_conditions", "is_default"}


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not _NAME_RE.match(name):
        raise ValidationFailed.field("name", "请填写身份证上的真实姓名（2–30个汉字或字母）",
                                     "Enter the name on the ID card (2–30 Chinese characters or letters)",
                                     code="name_format")
    return name


def _check_relationship(value: str) -> str:
    if value not in Relationship.values:
        raise ValidationFailed.field("relationship", "请选择与本人的关系", "Choose the relationship",
                                     code="relationship_invalid")
    return value


def _check_family_ages(account, relationship: str, birth_date: dt.date) -> None:
    """A parent is older and a child younger than the account holder's own 就诊人 (when recorded)."""
    own = Patient.objects.filter(account=account, relationship=Relationship.SELF, removed_at__isnull=True).first()
    if own is None:
        return
    if relationship in (Relationship.PARENT, Relationship.GRANDPARENT) and birth_date >= own.birth_date:
        raise ValidationFailed.field("birth_date", "父母/祖父母的出生日期应早于本人", "A parent must be older than you",
                                     code="relationship_age")
    if relationship in (Relationship.CHILD, Relationship.GRANDCHILD) and birth_date <= own.birth_date:
        raise ValidationFailed.field("birth_date", "子女的出生日期应晚于本人", "A child must be younger than you",
                                     code="relationship_age")


def _phone_fields(phone: str) -> tuple[str, str]:
    if not phone:
        return "", ""
    phone = normalize_phone(phone)
    return phone, lookup_hash(phone, purpose=PHONE_HASH_PURPOSE)


def add_patient(*, ctx: AccessContext, name: str, sex: str, birth_date: dt.date, id_number: str,
                relationship: str, phone: str = "", allergies: str = "", chronic_conditions: str = "",
                is_default: bool = False) -> tuple[Patient, bool]:
    """Add a 就诊人 to the acting account. Returns (patient, created): repeating the same request
    returns the existing record instead of a duplicate."""
    account = ctx.actor
    name = _check_name(name)
    relationship = _check_relationship(relationship)
    resident_id = parse_resident_id(id_number)
    check_id_matches(resident_id, birth_date=birth_date, sex=sex)
    phone, phone_hash = _phone_fields(phone)
    id_hash = lookup_hash(resident_id.number, purpose=ID_HASH_PURPOSE)

    existing = Patient.objects.filter(account=account, id_number_hash=id_hash, removed_at__isnull=True).first()
    if existing is not None:
        if existing.name == name:
            return existing, False
        raise Conflict("该身份证号已添加为其他就诊人", "This ID number is already used by another of your patients",
                       code="patient_exists", fields={"id_number": "该身份证号已添加"})
    _check_family_ages(account, relationship, resident_id.birth_date)
    now = timezone.now()
    try:
        with transaction.atomic():
            active = Patient.objects.select_for_update().filter(account=account, removed_at__isnull=True)
            count = len(active)
            if count >= MAX_PATIENTS_PER_ACCOUNT:
                raise ValidationFailed(f"每个账户最多添加{MAX_PATIENTS_PER_ACCOUNT}位就诊人",
                                       f"An account can manage at most {MAX_PATIENTS_PER_ACCOUNT} patients",
                                       code="patient_limit")
            make_default = is_default or count == 0
            if make_default:
                active.filter(is_default=True).update(is_default=False)
            patient = Patient.objects.create(
                account=account, relationship=relationship, name=name, sex=resident_id.sex,
                birth_date=resident_id.birth_date, id_number=resident_id.number, id_number_hash=id_hash,
                phone=phone, phone_hash=phone_hash, allergies=(allergies or "").strip(),
                chronic_conditions=(chronic_conditions or "").strip(), is_default=make_default,
                verified_at=now, created_at=now, updated_at=now,
            )
            record_access(ctx, patient=patient, action=AccessLog.Action.CREATE)
    except IntegrityError as exc:
        if relationship == Relationship.SELF and Patient.objects.filter(
                account=account, relationship=Relationship.SELF, removed_at__isnull=True).exists():
            raise Conflict("已添加过“本人”", "You have already added yourself", code="self_exists",
                           fields={"relationship": "已添加过本人"}) from exc
        raise Conflict("该身份证号已添加", "This ID number is already added", code="patient_exists",
                       fields={"id_number": "该身份证号已添加"}) from exc
    return patient, True


def update_patient(*, ctx: AccessContext, external_id, **changes) -> Patient:
    fixed = set(changes) - EDITABLE_FIELDS
    if fixed:
        raise ValidationFailed("实名信息（姓名、性别、出生日期、身份证号）不可修改，如有错误请删除后重新添加",
                               "Real-name fields cannot be changed; remove the patient and add them again",
                               code="real_name_fixed", fields={name: "不可修改" for name in sorted(fixed)})
    patient = access_patient(ctx=ctx, external_id=external_id, action=AccessLog.Action.UPDATE)
    with transaction.atomic():
        patient = Patient.objects.select_for_update().get(pk=patient.pk)
        if "relationship" in changes and changes["relationship"] != patient.relationship:
            patient.relationship = _check_relationship(changes["relationship"])
            _check_family_ages(patient.account, patient.relationship, patient.birth_date)
        if "phone" in changes:
            patient.phone, patient.phone_hash = _phone_fields(changes["phone"] or "")
        for field in ("allergies", "chronic_conditions"):
            if field in changes:
                setattr(patient, field, (changes[field] or "").strip())
        if changes.get("is_default"):
            Patient.objects.filter(account=patient.account, is_default=True).exclude(pk=patient.pk).update(
                is_default=False)
            patient.is_default = True
        patient.updated_at = timezone.now()
        try:
            patient.save()
        except IntegrityError as exc:
            raise Conflict("已添加过“本人”", "You have already added yourself", code="self_exists",
                           fields={"relationship": "已添加过本人"}) from exc
    return patient


def remove_patient(*, ctx: AccessContext, external_id) -> None:
    """Remove from the account's list. The record itself is kept (medical records are retained by law)."""
    patient = access_patient(ctx=ctx, external_id=external_id, action=AccessLog.Action.DELETE)
    with transaction.atomic():
        patient = Patient.objects.select_for_update().get(pk=patient.pk)
        if patient.removed_at is not None:
            return
        patient.removed_at = timezone.now()
        was_default = patient.is_default
        patient.is_default = False
        patient.save(update_fields=["removed_at", "is_default"])
        if was_default:
            successor = Patient.objects.filter(account=patient.account, removed_at__isnull=True).first()
            if successor is not None:
                successor.is_default = True
                successor.save(update_fields=["is_default"])
