"""Facts the booking path reads on every attempt, cached per process for a short time: a window's
timetable and rules, and a patient's immutable real-name facts. Anything that can change and matters for
correctness (session stopped, patient removed, suspension) is checked again inside the claim itself.

A miss costs one query: plain SQL on PostgreSQL (the ORM's query compilation cost more CPU than the
query itself on the flash-crowd path), the ORM on SQLite."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from yiyun.core import pgsql
from yiyun.core.localcache import TTLCache
from yiyun.scheduling.models import DepartmentBookingLimit, Session, Window
from yiyun.scheduling.services import policy_for


@dataclass(frozen=True)
class WindowFacts:
    id: int
    external_id: str
    session_id: int
    session_external_id: str
    hospital_id: int
    department_id: int
    doctor_id: int
    visit_date: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime
    release_at: dt.datetime
    fee_fen: int
    session_open: bool
    min_age: int | None
    max_age: int | None
    sex: str
    hold_minutes: int
    max_per_day: int
    max_per_week: int
    one_per_doctor_per_day: bool
    cancel_deadline_minutes: int
    hospital_name: str = ""
    department_name: str = ""
    doctor_name: str = ""


@dataclass(frozen=True)
class PatientFacts:
    id: int
    external_id: str
    account_id: int
    name: str
    birth_date: dt.date
    sex: str
    id_number_hash: str
    verified: bool
    removed: bool

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


_windows: TTLCache[WindowFacts | None] = TTLCache(ttl=settings.BOOKING_FACTS_TTL)
_patients: TTLCache[PatientFacts | None] = TTLCache(ttl=settings.BOOKING_FACTS_TTL)
_policies: TTLCache = TTLCache(ttl=settings.BOOKING_FACTS_TTL)


def _policy(hospital_id: int):
    return _policies.get_or_load(hospital_id, lambda: policy_for(hospital_id))


_PG_WINDOW = """
SELECT w.id, w.starts_at, w.ends_at, s.id, s.external_id, s.hospital_id, s.department_id, s.doctor_id, s.date,
       s.release_at, s.fee_fen, s.status, l.min_age, l.max_age, l.sex, h.name, d.name, doc.name
FROM scheduling_window w
JOIN scheduling_session s ON s.id = w.session_id
JOIN catalog_hospital h ON h.id = s.hospital_id
JOIN catalog_department d ON d.id = s.department_id
JOIN catalog_doctor doc ON doc.id = s.doctor_id
LEFT JOIN scheduling_departmentbookinglimit l ON l.department_id = s.department_id
WHERE w.external_id = %s
"""


def _window_row(key: uuid.UUID):
    if connection.vendor == "postgresql":
        return pgsql.fetchone(_PG_WINDOW, [key])
    window = (Window.objects.select_related("session__hospital", "session__department", "session__doctor")
              .filter(external_id=key).first())
    if window is None:
        return None
    session = window.session
    limit = DepartmentBookingLimit.objects.filter(department_id=session.department_id).first()
    return (window.pk, window.starts_at, window.ends_at, session.pk, session.external_id, session.hospital_id,
            session.department_id, session.doctor_id, session.date, session.release_at, session.fee_fen,
            session.status, limit.min_age if limit else None, limit.max_age if limit else None,
            limit.sex if limit else None, session.hospital.name, session.department.name, session.doctor.name)


def _load_window(key: uuid.UUID) -> WindowFacts | None:
    row = _window_row(key)
    if row is None:
        return None
    (window_id, starts_at, ends_at, session_id, session_key, hospital_id, department_id, doctor_id, day, release_at,
     fee_fen, status, min_age, max_age, sex, hospital_name, department_name, doctor_name) = row
    policy = _policy(hospital_id)
    return WindowFacts(
        id=window_id, external_id=str(key), session_id=session_id, session_external_id=str(session_key),
        hospital_id=hospital_id, department_id=department_id, doctor_id=doctor_id, visit_date=day,
        starts_at=starts_at, ends_at=ends_at, release_at=release_at, fee_fen=fee_fen,
        session_open=status == Session.Status.OPEN, min_age=min_age, max_age=max_age, sex=sex or "",
        hold_minutes=policy.hold_minutes, max_per_day=policy.max_active_per_day,
        max_per_week=policy.max_active_per_week, one_per_doctor_per_day=policy.one_per_doctor_per_day,
        cancel_deadline_minutes=policy.cancel_deadline_minutes, hospital_name=hospital_name,
        department_name=department_name, doctor_name=doctor_name,
    )


def window_facts(external_id) -> WindowFacts | None:
    try:
        key = uuid.UUID(str(external_id))
    except ValueError:
        return None
    return _windows.get_or_load(key, lambda: _load_window(key))


# Reused by the booking hot path (one query for the token and the patient).
PG_PATIENT_COLUMNS = "p.id, p.account_id, p.name, p.birth_date, p.sex, p.id_number_hash, p.verified_at, p.removed_at"
PG_PATIENT = f"SELECT {PG_PATIENT_COLUMNS} FROM patients_patient p WHERE p.external_id = %s"  # noqa: S608


def _load_patient(key: uuid.UUID) -> PatientFacts | None:
    from yiyun.patients.models import Patient

    if connection.vendor == "postgresql":
        row = pgsql.fetchone(PG_PATIENT, [key])
    else:
        row = Patient.objects.filter(external_id=key).values_list(
            "pk", "account_id", "name", "birth_date", "sex", "id_number_hash", "verified_at", "removed_at").first()
    return _patient_from_row(key, row)


def _patient_from_row(key: uuid.UUID, row) -> PatientFacts | None:
    if row is None or row[0] is None:
        return None
    pk, account_id, name, birth_date, sex, id_number_hash, verified_at, removed_at = row
    return PatientFacts(id=pk, external_id=str(key), account_id=account_id, name=name, birth_date=birth_date,
                        sex=sex, id_number_hash=id_number_hash, verified=verified_at is not None,
                        removed=removed_at is not None)


def patient_facts(external_id) -> PatientFacts | None:
    try:
        key = uuid.UUID(str(external_id))
    except ValueError:
        return None
    return _patients.get_or_load(key, lambda: _load_patient(key))


def patient_key(external_id) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(external_id))
    except ValueError:
        return None


def is_patient_cached(key: uuid.UUID) -> bool:
    return _patients.get(key, _NOT_CACHED) is not _NOT_CACHED


def remember_patient(key: uuid.UUID, row) -> None:
    """Cache a patient from a row of PG_PATIENT_COLUMNS (all None: no such patient)."""
    _patients.set(key, _patient_from_row(key, row))


_NOT_CACHED = object()

# The shared (Redis) copy of a patient's facts, read in the booking call's single Redis round trip
# (booking.precheck) by a process that has not seen the patient yet: the PG_PATIENT_COLUMNS row as JSON
# (the ID number only as its keyed hash), kept as long as a process would cache it.
SHARED_PATIENT_PREFIX = "patient-facts:"


def shared_patient_key(key: uuid.UUID) -> str:
    return f"{SHARED_PATIENT_PREFIX}{key}"


def patient_blob(row) -> tuple[bytes, int]:
    """(value, milliseconds to keep) of a PG_PATIENT_COLUMNS row."""
    values = [v.isoformat() if isinstance(v, dt.date | dt.datetime) else v for v in row]
    return json.dumps(values, ensure_ascii=False).encode(), int(settings.BOOKING_FACTS_TTL * 1000)


def remember_patient_blob(key: uuid.UUID, blob: bytes) -> None:
    values = json.loads(blob)
    values[3] = dt.date.fromisoformat(values[3])  # birth_date; verified_at/removed_at are only tested for None
    _patients.set(key, _patient_from_row(key, values))


def forget(*, window_external_id=None, patient_external_id=None) -> None:
    if window_external_id is not None:
        _windows.pop(uuid.UUID(str(window_external_id)))
    if patient_external_id is not None:
        _patients.pop(uuid.UUID(str(patient_external_id)))


def forget_all() -> None:
    _windows.clear()
    _patients.clear()
    _policies.clear()
