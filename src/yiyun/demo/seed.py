"""Seeding the demo hospital data. Deterministic (a fixed random seed, natural keys) and idempotent:
running it twice leaves the same rows, updated in place."""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from yiyun.accounts import services as account_services
from yiyun.accounts.models import Role, User, phone_lookup
from yiyun.accounts.roles import grant_role
from yiyun.audit.services import AccessContext
from yiyun.catalog import services as catalog_services
from yiyun.catalog.models import (
    Campus,
    Department,
    Doctor,
    Hospital,
    Nurse,
    OperatorAssignment,
    Pharmacist,
    StandardDepartment,
)
from yiyun.core.validators import id_check_char
from yiyun.demo.catalog_data import DEPARTMENTS_BY_HOSPITAL, GIVEN_CHARS, HOSPITALS, LOCATIONS, SURNAMES, D
from yiyun.demo.queue_seed import seed_queue_demo
from yiyun.patients import services as patient_services
from yiyun.scheduling import services as scheduling_services
from yiyun.scheduling.models import BookingPolicy, DepartmentBookingLimit, Period, ScheduleTemplate

SEED = 20261123
DEMO_PASSWORD = "Yiyun@2026"  # noqa: S105 - published demo credential
STANDARD_DEPARTMENTS = Path(__file__).resolve().parents[1] / "catalog" / "data" / "standard_departments.json"


@dataclass(frozen=True)
class DemoAccount:
    phone: str
    role: str
    name: str
    note: str


DEMO_ACCOUNTS = [
    DemoAccount("13800000001", Role.PATIENT, "王小明", "患者，管理本人、女儿、母亲三位就诊人"),
    DemoAccount("13800000002", Role.PATIENT, "陈静", "患者，管理本人和配偶"),
    DemoAccount("13900000001", Role.DOCTOR, "张伟", "医生，市一院心血管内科"),
    DemoAccount("13900000002", Role.PHARMACIST, "药师演示", "药师，市一院药学部（审方）"),
    DemoAccount("13900000003", Role.NURSE, "护士演示", "护士，市一院"),
    DemoAccount("13700000001", Role.OPERATOR, "市一院运营", "运营，仅见市一院数据（/admin/）"),
    DemoAccount("13700000002", Role.OPERATOR, "市二院运营", "运营，仅见市二院数据（/admin/）"),
    DemoAccount("13700000000", Role.PLATFORM_ADMIN, "平台管理员", "平台管理员（/admin/）"),
]


def synthetic_id_number(birth: dt.date, seq: int, sex: str, region: str = "110105") -> str:
    """An invented ID number with a valid GB 11643 check digit (sequence parity encodes sex)."""
    seq = seq * 2 + (1 if sex == "M" else 0)
    first17 = f"{region}{birth:%Y%m%d}{seq % 1000:03d}"
    return first17 + id_check_char(first17)


def seed_standard_departments() -> int:
    rows = json.loads(STANDARD_DEPARTMENTS.read_text(encoding="utf-8"))["departments"]
    by_code: dict[str, StandardDepartment] = {}
    for row in rows:  # parents come before children in the file
        obj, _ = StandardDepartment.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "patient_name": row["patient_name"],
                      "parent": by_code.get(row["parent"]) if row["parent"] else None},
        )
        by_code[obj.code] = obj
    return len(by_code)


def _person_name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN_CHARS) for _ in range(rng.choice((1, 2, 2))))
        if name not in used:
            used.add(name)
            return name


def _title(rng: random.Random) -> tuple[str, int]:
    roll = rng.random()
    if roll < 0.2:
        return Doctor.Title.CHIEF, rng.randint(20, 35)
    if roll < 0.5:
        return Doctor.Title.ASSOCIATE_CHIEF, rng.randint(12, 24)
    if roll < 0.85:
        return Doctor.Title.ATTENDING, rng.randint(6, 14)
    return Doctor.Title.RESIDENT, rng.randint(2, 5)


def _specialty(rng: random.Random, topics: list[str]) -> str:
    chosen = rng.sample(topics, k=min(len(topics), rng.randint(3, 4)))
    return "擅长" + "、".join(chosen) + "等疾病的诊断与治疗。"


def seed_hospital(spec: dict, rng: random.Random, used_names: set[str], hospital_no: int) -> Hospital:
    hospital, _ = Hospital.objects.update_or_create(code=spec["code"], defaults={
        "name": spec["name"], "short_name": spec["short_name"], "tier": spec["tier"], "city": spec["city"],
        "district": spec["district"], "address": spec["address"], "phone": spec["phone"], "intro": spec["intro"],
        "sort_order": hospital_no,
    })
    campuses = [Campus.objects.update_or_create(hospital=hospital, name=name, defaults={"address": address})[0]
                for name, address in spec["campuses"]]
    low, high = spec["doctors_per_department"]
    seq = 0
    for index, dept_name in enumerate(DEPARTMENTS_BY_HOSPITAL[spec["code"]]):
        code, topics = D[dept_name]
        department, _ = Department.objects.update_or_create(hospital=hospital, name=dept_name, defaults={
            "standard": StandardDepartment.objects.get(code=code), "campus": campuses[index % len(campuses)],
            "location": LOCATIONS[index % len(LOCATIONS)], "sort_order": index,
            "intro": f"{spec['short_name']}{dept_name}，诊治{'、'.join(topics[:3])}等。",
        })
        for position in range(rng.randint(low, high)):
            seq += 1
            licence = f"1{hospital_no:02d}{seq:012d}"
            # The demo doctor account (13900000001) is 张伟 of 市一院 心血管内科.
            is_demo_doctor = hospital_no == 1 and dept_name == "心血管内科" and position == 0
            name = "张伟" if is_demo_doctor else _person_name(rng, used_names)
            title, years = _title(rng)
            doctor = Doctor.objects.filter(licence_number=licence).first() or Doctor(licence_number=licence)
            doctor.hospital = hospital
            doctor.name = name
            doctor.sex = rng.choice("MF")
            doctor.title = title
            doctor.years_of_practice = years
            doctor.specialty = _specialty(rng, topics)
            doctor.intro = (f"{name}，{doctor.get_title_display()}，从事{dept_name}临床工作{years}年，"
                            f"{doctor.specialty.removeprefix('擅长')}")
            doctor.rating = round(4.5 + rng.random() * 0.5, 2)
            doctor.rating_count = rng.randint(20, 3000)
            catalog_services.save_doctor(doctor=doctor, departments=[department])
    for n in range(4 if hospital_no == 1 else 2):
        licence = f"P{hospital_no:02d}{n:04d}"
        title = [Pharmacist.Title.SUPERVISING, Pharmacist.Title.PHARMACIST, Pharmacist.Title.ASSOCIATE_CHIEF,
                 Pharmacist.Title.ASSISTANT][n % 4]
        Pharmacist.objects.update_or_create(licence_number=licence, defaults={
            "hospital": hospital, "name": _person_name(rng, used_names), "sex": rng.choice("MF"), "title": title,
            "years_of_practice": rng.randint(3, 20), "can_review": title != Pharmacist.Title.ASSISTANT,
        })
    departments = list(hospital.departments.all())
    for n in range(8 if hospital_no == 1 else 3):
        licence = f"N{hospital_no:02d}{n:04d}"
        Nurse.objects.update_or_create(licence_number=licence, defaults={
            "hospital": hospital, "name": _person_name(rng, used_names), "sex": "F" if n % 5 else "M",
            "title": list(Nurse.Title)[n % len(Nurse.Title)], "department": departments[n % len(departments)],
            "years_of_practice": rng.randint(2, 25), "home_visits": n % 2 == 0,
        })
    return hospital


def _account(spec: DemoAccount) -> User:
    user = User.objects.filter(phone_hash=phone_lookup(spec.phone)).first()
    if user is None:
        user = account_services.register_user(
            phone=spec.phone, password=DEMO_PASSWORD, role=spec.role, display_name=spec.name,
            is_staff=spec.role in (Role.OPERATOR, Role.PLATFORM_ADMIN))
    if spec.role == Role.PLATFORM_ADMIN and not user.is_superuser:
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    grant_role(user, spec.role)
    return user


def seed_accounts(hospitals: dict[str, Hospital]) -> None:
    users = {spec.phone: _account(spec) for spec in DEMO_ACCOUNTS}
    h1, h2 = hospitals["YY-H001"], hospitals["YY-H002"]
    zhang = Doctor.objects.filter(hospital=h1, name="张伟").first()
    if zhang is not None and zhang.user_id is None:
        zhang.user = users["13900000001"]
        zhang.save(update_fields=["user"])
    Pharmacist.objects.filter(licence_number="P010000", user__isnull=True).update(user=users["13900000002"])
    Nurse.objects.filter(licence_number="N010000", user__isnull=True).update(user=users["13900000003"])
    OperatorAssignment.objects.get_or_create(user=users["13700000001"], hospital=h1)
    OperatorAssignment.objects.get_or_create(user=users["13700000002"], hospital=h2)

    families = {
        "13800000001": [
            ("self", "王小明", "M", dt.date(1985, 3, 15), "13800000001", "青霉素", ""),
            ("child", "王乐乐", "F", dt.date(2018, 6, 1), "", "", ""),
            ("parent", "李秀英", "F", dt.date(1956, 9, 20), "13800000011", "", "高血压、2型糖尿病"),
        ],
        "13800000002": [
            ("self", "陈静", "F", dt.date(1990, 11, 2), "13800000002", "", ""),
            ("spouse", "刘洋", "M", dt.date(1988, 4, 18), "13800000012", "海鲜", ""),
        ],
    }
    for phone, members in families.items():
        ctx = AccessContext(actor=users[phone], channel="system")
        for seq, (relationship, name, sex, birth, member_phone, allergies, chronic) in enumerate(members, start=1):
            patient_services.add_patient(
                ctx=ctx, name=name, sex=sex, birth_date=birth,
                id_number=synthetic_id_number(birth, seq + int(phone[-1]) * 10, sex), relationship=relationship,
                phone=member_phone, allergies=allergies, chronic_conditions=chronic,
            )


POLICIES = {  # hospital code → (release time, horizon days)
    "YY-H001": (dt.time(7, 0), 7),
    "YY-H002": (dt.time(8, 0), 14),
    "YY-H003": (dt.time(7, 30), 7),
}
AGE_LIMITS = {"儿科": (None, 14), "新生儿科": (None, 1), "小儿外科": (None, 14), "儿童保健科": (None, 14)}
WOMEN_ONLY = {"妇科", "产科", "生殖医学科"}
ADULTS_ONLY = {"心血管内科", "老年病科", "泌尿外科"}  # children go to paediatric clinics


def seed_schedules(hospitals: dict[str, Hospital], rng: random.Random) -> int:
    """Booking rules, visit types, department limits and weekly templates; then sessions for the horizon."""
    for code, hospital in hospitals.items():
        release, horizon = POLICIES[code]
        BookingPolicy.objects.update_or_create(hospital=hospital, defaults={"release_time": release,
                                                                            "horizon_days": horizon})
        visit_types = scheduling_services.ensure_visit_types(hospital)
        for department in hospital.departments.all():
            limits = {}
            if department.name in AGE_LIMITS:
                limits = {"min_age": AGE_LIMITS[department.name][0], "max_age": AGE_LIMITS[department.name][1]}
            elif department.name in ADULTS_ONLY:
                limits = {"min_age": 14}
            if department.name in WOMEN_ONLY:
                limits["sex"] = "F"
            if limits:
                DepartmentBookingLimit.objects.update_or_create(department=department, defaults=limits)
        for doctor in Doctor.objects.filter(hospital=hospital).prefetch_related("departments").order_by("pk"):
            department = doctor.departments.first()
            is_demo_doctor = doctor.user_id is not None and doctor.name == "张伟"
            if hospital.tier == Hospital.Tier.COMMUNITY:
                visit = visit_types["convenience" if department.name == "全科医学科" and rng.random() < 0.3 else "general"]
            elif doctor.title in (Doctor.Title.CHIEF, Doctor.Title.ASSOCIATE_CHIEF):
                visit = visit_types["special" if doctor.title == Doctor.Title.CHIEF and rng.random() < 0.2 else "expert"]
            else:
                visit = visit_types["general"]
            slots = [(d, p) for d in range(7) for p in (Period.MORNING, Period.AFTERNOON)] if is_demo_doctor \
                else rng.sample([(d, p) for d in range(6) for p in (Period.MORNING, Period.AFTERNOON)], k=3)
            for weekday, period in slots:
                start, end = scheduling_services.PERIOD_TIMES[period]
                ScheduleTemplate.objects.update_or_create(
                    doctor=doctor, weekday=weekday, period=period, is_active=True,
                    defaults={"hospital": hospital, "department": department, "campus": department.campus,
                              "start_time": start, "end_time": end, "window_minutes": 30,
                              "online_per_window": 4 if visit.code != "special" else 2, "onsite_per_window": 1,
                              "visit_type": visit, "valid_from": dt.date(2026, 1, 1)})
    return scheduling_services.generate_sessions()


def seed_demo() -> dict[str, int]:
    rng = random.Random(SEED)
    used_names: set[str] = {"张伟"}
    with transaction.atomic():
        standard = seed_standard_departments()
        hospitals = {spec["code"]: seed_hospital(spec, rng, used_names, n) for n, spec in enumerate(HOSPITALS, 1)}
        seed_accounts(hospitals)
        sessions = seed_schedules(hospitals, rng)
    seed_queue_demo()
    return {"standard_departments": standard, "hospitals": Hospital.objects.count(),
            "departments": Department.objects.count(), "doctors": Doctor.objects.count(),
            "pharmacists": Pharmacist.objects.count(), "nurses": Nurse.objects.count(),
            "new_sessions": sessions}
