"""Booking endpoints: places by department/doctor/date, book (with an Idempotency-Key header), my
bookings, cancel, pay, waitlist."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema, Status

from yiyun.audit.models import AccessLog
from yiyun.audit.services import context_from_request
from yiyun.booking import selectors, services
from yiyun.booking.payment import start_payment
from yiyun.booking.states import Status as BookingStatus
from yiyun.catalog import selectors as catalog
from yiyun.core.apikit import ERROR_RESPONSES

router = Router(tags=["预约挂号 Booking"])


class DateOut(Schema):
    date: dt.date
    free: int
    doctors: int
    released: bool


class WindowOut(Schema):
    id: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    free: int
    past: bool


class SessionOut(Schema):
    id: str
    doctor_id: str
    doctor_name: str
    doctor_title: str
    department_id: str
    department_name: str
    date: dt.date
    period: str
    period_label: str
    visit_type: str
    fee_fen: int
    release_at: dt.datetime
    released: bool
    free: int
    windows: list[WindowOut]


class BookIn(Schema):
    window_id: str
    patient_id: str


class BookingOut(Schema):
    id: str
    status: str
    status_label: str
    number: int
    patient_id: str
    patient_name: str
    hospital_name: str
    department_name: str
    doctor_name: str
    window_start: dt.datetime
    window_end: dt.datetime
    fee_fen: int
    hold_expires_at: dt.datetime | None
    source: str


class CancelIn(Schema):
    reason: str = ""


class PayIn(Schema):
    method: str = "redirect"


class CheckoutOut(Schema):
    method: str
    url: str | None = None
    qr: str | None = None


class WaitlistIn(Schema):
    window_id: str
    patient_id: str


class WaitlistOut(Schema):
    id: str
    status: str
    status_label: str
    window_id: str
    patient_name: str
    position: int | None
    booking_id: str | None


def session_out(session) -> dict:
    return {
        "id": str(session.external_id), "doctor_id": str(session.doctor.external_id),
        "doctor_name": session.doctor.name, "doctor_title": session.doctor.get_title_display(),
        "department_id": str(session.department.external_id), "department_name": session.department.name,
        "date": session.date, "period": session.period, "period_label": session.get_period_display(),
        "visit_type": session.visit_type.name, "fee_fen": session.fee_fen, "release_at": session.release_at,
        "released": session.released, "free": session.free,
        "windows": [{"id": str(w.external_id), "starts_at": w.starts_at, "ends_at": w.ends_at, "free": w.free,
                     "past": w.past} for w in session.window_list],
    }


def booking_out(b) -> dict:
    return {
        "id": str(b.external_id), "status": b.status, "status_label": b.get_status_display(), "number": b.number,
        "patient_id": str(b.patient.external_id), "patient_name": b.patient.name, "hospital_name": b.hospital.name,
        "department_name": b.department.name, "doctor_name": b.doctor.name, "window_start": b.window.starts_at,
        "window_end": b.window.ends_at, "fee_fen": b.fee_fen, "hold_expires_at": b.hold_expires_at,
        "source": b.source,
    }


def created_booking_out(result) -> dict:
    """A booking just made, from what `services.book` already knew (the same fields as `booking_out`)."""
    window, patient = result.window, result.patient
    return {
        "id": result.external_id, "status": result.status, "status_label": BookingStatus(result.status).label,
        "number": result.number, "patient_id": patient.external_id, "patient_name": patient.name,
        "hospital_name": window.hospital_name, "department_name": window.department_name,
        "doctor_name": window.doctor_name, "window_start": window.starts_at, "window_end": window.ends_at,
        "fee_fen": window.fee_fen, "hold_expires_at": result.hold_expires_at, "source": result.source,
    }


def waitlist_out(entry) -> dict:
    return {"id": str(entry.external_id), "status": entry.status, "status_label": entry.get_status_display(),
            "window_id": str(entry.window.external_id), "patient_name": entry.patient.name,
            "position": selectors.waitlist_position(entry),
            "booking_id": str(entry.booking.external_id) if entry.booking_id else None}


def _ctx(request):
    return context_from_request(request, channel=AccessLog.Channel.API)


@router.get("/departments/{department_id}/dates", auth=None, response={200: list[DateOut], **ERROR_RESPONSES},
            summary="科室未来可预约日期与余号")
def department_dates(request, department_id: str, days: int = 14):
    department = catalog.get_department(external_id=department_id)
    return selectors.dates_with_places(department=department, days=max(1, min(days, 31)))


@router.get("/sessions", auth=None, response={200: list[SessionOut], **ERROR_RESPONSES},
            summary="出诊与分时段余号（按科室或医生，可选日期）")
def list_sessions(request, department_id: str | None = None, doctor_id: str | None = None,
                  date: dt.date | None = None, days: int = 14):
    department = catalog.get_department(external_id=department_id) if department_id else None
    doctor = catalog.get_doctor(external_id=doctor_id) if doctor_id else None
    sessions = selectors.bookable_sessions(department=department, doctor=doctor, start=date,
                                           days=1 if date else max(1, min(days, 31)))
    return [session_out(s) for s in sessions]


@router.post("/bookings", response={201: BookingOut, 200: BookingOut, **ERROR_RESPONSES},
             summary="预约（请求头 Idempotency-Key 保证重试不重复挂号）")
def book(request, payload: BookIn):
    result = services.book(ctx=_ctx(request), patient_id=payload.patient_id, window_id=payload.window_id,
                           idempotency_key=request.headers.get("Idempotency-Key", ""))
    if result.created:  # the claim wrote the access-log row ("create") in its own transaction
        return Status(201, created_booking_out(result))
    booking = selectors.access_booking(ctx=_ctx(request), external_id=result.external_id)
    return Status(200, booking_out(booking))


@router.get("/bookings", response={200: list[BookingOut], **ERROR_RESPONSES}, summary="我的预约")
def my_bookings(request, active_only: bool = False):
    return [booking_out(b) for b in selectors.my_bookings(ctx=_ctx(request), active_only=active_only)]


@router.get("/bookings/{booking_id}", response={200: BookingOut, **ERROR_RESPONSES}, summary="预约详情")
def get_booking(request, booking_id: str):
    return booking_out(selectors.access_booking(ctx=_ctx(request), external_id=booking_id))


@router.post("/bookings/{booking_id}/cancel", response={200: BookingOut, **ERROR_RESPONSES}, summary="取消预约（退号）")
def cancel_booking(request, booking_id: str, payload: CancelIn):
    services.cancel(ctx=_ctx(request), booking_id=booking_id, reason=payload.reason)
    return booking_out(selectors.access_booking(ctx=_ctx(request), external_id=booking_id))


@router.post("/bookings/{booking_id}/pay", response={200: CheckoutOut, **ERROR_RESPONSES}, summary="支付挂号费")
def pay_booking(request, booking_id: str, payload: PayIn):
    checkout = start_payment(ctx=_ctx(request), booking_id=booking_id, method=payload.method)
    return {"method": checkout.method, "url": checkout.url, "qr": checkout.qr}


@router.post("/waitlist", response={201: WaitlistOut, **ERROR_RESPONSES}, summary="加入候补")
def join_waitlist(request, payload: WaitlistIn):
    entry = services.join_waitlist(ctx=_ctx(request), patient_id=payload.patient_id, window_id=payload.window_id)
    return Status(201, waitlist_out(entry))


@router.get("/waitlist", response={200: list[WaitlistOut], **ERROR_RESPONSES}, summary="我的候补")
def my_waitlist(request):
    return [waitlist_out(e) for e in selectors.my_waitlist(account=request.user)]


@router.delete("/waitlist/{entry_id}", response={204: None, **ERROR_RESPONSES}, summary="取消候补")
def leave_waitlist(request, entry_id: str):
    services.leave_waitlist(ctx=_ctx(request), entry_id=entry_id)
    return Status(204, None)
