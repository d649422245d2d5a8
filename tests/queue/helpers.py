"""Builders for queue tests: a clinic with a doctor who can log in and a session today, and patients
booked into its windows (free visits, so bookings are confirmed at once)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from tests.factories import make_department, make_doctor, make_hospital, make_patient, make_session, make_user
from yiyun.accounts.models import Role
from yiyun.audit.services import AccessContext
from yiyun.booking import services as booking_services
from yiyun.booking.models import Booking
from yiyun.catalog.models import Doctor
from yiyun.scheduling.models import BookingPolicy, Session, Window
from yiyun.scheduling.services import SHANGHAI


def at(hour: int, minute: int = 0, second: int = 0, day: dt.date | None = None) -> dt.datetime:
    """A moment today (Asia/Shanghai)."""
    return dt.datetime.combine(day or timezone.localdate(), dt.time(hour, minute, second), tzinfo=SHANGHAI)


def ctx_for(user, channel="api") -> AccessContext:
    return AccessContext(actor=user, channel=channel, ip="10.0.0.9")


@dataclass
class Clinic:
    doctor: Doctor
    doctor_user: object
    session: Session
    windows: list[Window]

    @property
    def hospital(self):
        return self.doctor.hospital

    @property
    def department(self):
        return self.session.department


def doctor_with_login(hospital, department, name="张伟") -> tuple[Doctor, object]:
    doctor = make_doctor(hospital, department, name=name)
    user = make_user(role=Role.DOCTOR, display_name=name)
    doctor.user = user
    doctor.save(update_fields=["user"])
    return doctor, user


def make_clinic(*, windows: int = 3, online: int = 3, onsite: int = 1, start=dt.time(8, 0), day=None,
                hospital=None, department=None, doctor_name="张伟", period="am", **policy) -> Clinic:
    """A doctor with a login and a session today from `start`: 30-minute windows of `online` online and
    `onsite` on-site numbers (3+1 by default: window 1 has numbers 1–4, window 2 5–8, window 3 9–12)."""
    hospital = hospital or make_hospital()
    department = department or make_department(hospital)
    doctor, user = doctor_with_login(hospital, department, name=doctor_name)
    session = make_session(doctor, department=department, day=day or timezone.localdate(), fee_fen=0,
                           windows=windows, online=online, onsite=onsite, start=start, period=period)
    if policy:
        BookingPolicy.objects.update_or_create(hospital=hospital, defaults=policy)
    return Clinic(doctor=doctor, doctor_user=user, session=session,
                  windows=list(session.windows.order_by("starts_at")))


def book_in(clinic: Clinic, window: int = 0, *, name: str = "王小明", sex: str = "M",
            birth=dt.date(1980, 5, 1), now=None) -> Booking:
    """A new account books the lowest free online number of the clinic's `window`-th window."""
    account = make_user()
    patient = make_patient(account, name=name, sex=sex, birth=birth)
    target = clinic.windows[window]
    result = booking_services.book(ctx=ctx_for(account), patient_id=patient.external_id,
                                   window_id=target.external_id, now=now or target.starts_at - dt.timedelta(hours=3))
    return Booking.objects.select_related("account", "patient", "window", "session").get(pk=result.booking_id)



def short_lived_connections(monkeypatch) -> None:
    """Server and consumer threads close their database connection after each request or call (as
    CONN_MAX_AGE=0 does), so no thread keeps PostgreSQL from dropping the test database at the end."""
    from django.db import connections

    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
