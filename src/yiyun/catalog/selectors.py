"""Reads of the catalogue for pages and the API: hospitals, departments, doctor search."""

from __future__ import annotations

import re
import uuid

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When

from yiyun.catalog.models import Department, Doctor, Hospital, OperatorAssignment
from yiyun.core.errors import NotFound

_PINYIN_QUERY = re.compile(r"^[a-z]+$")

TITLE_ORDER = Case(
    *(When(title=title, then=Value(rank)) for title, rank in Doctor.TITLE_RANK.items()),
    default=Value(0), output_field=IntegerField(),
)


def _by_external_id(queryset: QuerySet, external_id, what: str):
    try:
        key = uuid.UUID(str(external_id))
    except ValueError:
        raise NotFound(f"未找到该{what}", f"{what} not found") from None
    obj = queryset.filter(external_id=key).first()
    if obj is None:
        raise NotFound(f"未找到该{what}", f"{what} not found")
    return obj


def list_hospitals(*, district: str | None = None, tier: str | None = None) -> QuerySet[Hospital]:
    rows = Hospital.objects.filter(is_active=True)
    if district:
        rows = rows.filter(district=district)
    if tier:
        rows = rows.filter(tier=tier)
    return rows.prefetch_related("campuses")


def get_hospital(*, external_id) -> Hospital:
    return _by_external_id(Hospital.objects.filter(is_active=True), external_id, "医院")


def list_departments(*, hospital: Hospital | None = None, standard_code: str | None = None) -> QuerySet[Department]:
    rows = Department.objects.filter(is_active=True, hospital__is_active=True).select_related(
        "standard", "standard__parent", "hospital", "campus")
    if hospital is not None:
        rows = rows.filter(hospital=hospital)
    if standard_code:
        rows = rows.filter(Q(standard__code=standard_code) | Q(standard__parent__code=standard_code))
    return rows


def get_department(*, external_id) -> Department:
    return _by_external_id(list_departments(), external_id, "科室")


def _doctor_base() -> QuerySet[Doctor]:
    return (Doctor.objects.filter(is_active=True, hospital__is_active=True)
            .select_related("hospital")
            .prefetch_related(Prefetch("departments", queryset=Department.objects.select_related("standard"))))


def search_doctors(*, q: str | None = None, hospital: Hospital | None = None, department: Department | None = None,
                   standard_code: str | None = None, title: str | None = None) -> QuerySet[Doctor]:
    """Doctors matching a name (汉字), full pinyin (`zhangwei`), initials (`zw`) or words of their 擅长,
    best matches first, then by title and rating."""
    rows = _doctor_base()
    if hospital is not None:
        rows = rows.filter(hospital=hospital)
    if department is not None:
        rows = rows.filter(departments=department)
    if standard_code:
        rows = rows.filter(Q(departments__standard__code=standard_code)
                           | Q(departments__standard__parent__code=standard_code)).distinct()
    if title:
        rows = rows.filter(title=title)
    q = (q or "").strip()
    if q:
        lowered = q.lower().replace(" ", "")
        if _PINYIN_QUERY.match(lowered):
            rows = rows.filter(Q(name_initials__startswith=lowered) | Q(name_pinyin__contains=lowered))
            rank = Case(
                When(Q(name_initials=lowered) | Q(name_pinyin=lowered), then=Value(0)),
                When(Q(name_initials__startswith=lowered) | Q(name_pinyin__startswith=lowered), then=Value(1)),
                default=Value(2), output_field=IntegerField(),
            )
        else:
            words = [w for w in re.split(r"[\s,，、]+", q) if w]
            match = Q(name__contains=q)
            for word in words:
                match |= Q(specialty__contains=word) | Q(departments__name__contains=word)
            rows = rows.filter(match).distinct()
            rank = Case(
                When(name=q, then=Value(0)),
                When(name__startswith=q, then=Value(1)),
                When(name__contains=q, then=Value(2)),
                When(specialty__contains=q, then=Value(3)),
                default=Value(4), output_field=IntegerField(),
            )
        rows = rows.annotate(match_rank=rank, title_order=TITLE_ORDER)
        return rows.order_by("match_rank", "-title_order", "-rating", "id")
    return rows.annotate(title_order=TITLE_ORDER).order_by("-title_order", "-rating", "id")


def get_doctor(*, external_id) -> Doctor:
    return _by_external_id(_doctor_base(), external_id, "医生")


def hospital_ids_operated_by(user) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(OperatorAssignment.objects.filter(user=user).values_list("hospital_id", flat=True))
