"""Test data builders: plain functions with sensible defaults; each call makes fresh rows."""

from __future__ import annotations

import datetime as dt
import itertools

from yiyun.accounts.models import Role
from yiyun.accounts.services import register_user
from yiyun.audit.services import AccessContext
from yiyun.catalog import services as catalog_services
from yiyun.catalog.models import Department, Doctor, Hospital, OperatorAssignment, StandardDepartment
from yiyun.core.validators import id_check_char
from yiyun.demo.seed import seed_standard_departments
from yiyun.patients import services as patient_services

_seq = itertools.count(1)
PASSWORD = "Test@pass-2026"


def next_phone() -> str:
    return f"186{next(_seq):08d}"


def valid_id_number(birth: dt.date = dt.date(1990, 1, 1), sex: str = "M", seq: int | None = None,
                    region: str = "110105") -> str:
    n = next(_seq) if seq is None else seq
    order = (n * 2 + (1 if sex == "M" else 0)) % 1000
    first17 = f"{region}{birth:%Y%m%d}{order:03d}"
    return first17 + id_check_char(first17)


def make_user(*, phone: str | None = None, role: str = Role.PATIENT, password: str = PASSWORD, **extra):
    return register_user(phone=phone or next_phone(), password=password, role=role,
                         is_staff=role in (Role.OPERATOR, Role.PLATFORM_ADMIN), **extra)


def make_patient(account, *, name: str = "测试患者", sex: str = "M", birth: dt.date = dt.date(1990, 1, 1),
                 relationship: str = "self", phone: str = "", id_number: str | None = None):
    patient, _ = patient_services.add_patient(
        ctx=AccessContext(actor=account, channel="system"), name=name, sex=sex, birth_date=birth,
        id_number=id_number or valid_id_number(birth, sex), relationship=relationship, phone=phone)
    return patient


def standard(code: str) -> StandardDepartment:
    if not StandardDepartment.objects.filter(code=code).exists():
        seed_standard_departments()
    return StandardDepartment.objects.get(code=code)


def make_hospital(*, name: str | None = None, tier: str = Hospital.Tier.TIER3A) -> Hospital:
    n = next(_seq)
    return Hospital.objects.create(code=f"T{n:05d}", name=name or f"测试医院{n}", short_name=f"测{n}", tier=tier)


def make_department(hospital: Hospital, *, name: str = "心血管内科", code: str = "03.04") -> Department:
    return Department.objects.create(hospital=hospital, name=name, standard=standard(code))


def make_doctor(hospital: Hospital, department: Department | None = None, *, name: str = "张伟",
                title: str = Doctor.Title.ATTENDING, specialty: str = "擅长高血压、冠心病的诊治。") -> Doctor:
    doctor = Doctor(hospital=hospital, name=name, sex="M", title=title, specialty=specialty,
                    licence_number=f"L{next(_seq):014d}", years_of_practice=10)
    return catalog_services.save_doctor(doctor=doctor, departments=[department] if department else None)


def make_operator(hospital: Hospital, **extra):
    user = make_user(role=Role.OPERATOR, **extra)
    OperatorAssignment.objects.create(user=user, hospital=hospital)
    return user


def make_session(doctor=None, *, department=None, day=None, fee_fen: int = 1500, windows: int = 2,
                 online: int = 2, onsite: int = 1, period: str = "am", start=None):
    """A published session (with windows and numbers) tomorrow by default: already released."""
    import datetime as _dt

    from django.utils import timezone

    from yiyun.scheduling import services as scheduling_services
    from yiyun.scheduling.models import VisitType

    if doctor is None:
        hospital = make_hospital()
        department = department or make_department(hospital)
        doctor = make_doctor(hospital, department)
    department = department or doctor.departments.first()
    day = day or timezone.localdate() + _dt.timedelta(days=1)
    visit_type, _ = VisitType.objects.get_or_create(hospital_id=doctor.hospital_id, code="general",
                                                    defaults={"name": "普通门诊", "fee_fen": 1500})
    start = start or _dt.time(8, 0)
    end = (_dt.datetime.combine(day, start) + _dt.timedelta(minutes=30 * windows)).time()
    return scheduling_services.create_session(
        doctor=doctor, department=department, day=day, period=period, start=start, end=end, window_minutes=30,
        online_per_window=online, onsite_per_window=onsite, visit_type=visit_type, fee_fen=fee_fen)
