"""Booking pages: department → date → doctor session → time window → patient → book → pay; my bookings
(cancel, pay, queue), the waitlist. Views parse, call services/selectors, and render."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yiyun.audit.models import AccessLog
from yiyun.audit.services import context_from_request
from yiyun.booking import selectors, services
from yiyun.booking.errors import WindowFull
from yiyun.booking.payment import start_payment
from yiyun.catalog import selectors as catalog
from yiyun.core.errors import DomainError
from yiyun.core.forms import message_for, parse_date
from yiyun.patients import selectors as patients


def _ctx(request):
    return context_from_request(request, channel=AccessLog.Channel.PAGE)


def department_schedule(request, department_id):
    """Dates ahead with places; the chosen date's doctor sessions and their windows."""
    department = catalog.get_department(external_id=department_id)
    dates = selectors.dates_with_places(department=department, days=14)
    day = parse_date(request.GET.get("date")) or next((d["date"] for d in dates if d["free"]), None) \
        or (dates[0]["date"] if dates else timezone.localdate())
    sessions = selectors.bookable_sessions(department=department, start=day, days=1)
    return render(request, "booking/department.html", {
        "department": department, "dates": dates, "day": day, "sessions": sessions, "now": timezone.now(),
        "nav": "hospitals"})


def doctor_schedule(request, doctor_id):
    doctor = catalog.get_doctor(external_id=doctor_id)
    sessions = selectors.bookable_sessions(doctor=doctor, days=15)
    return render(request, "booking/doctor.html", {"doctor": doctor, "sessions": sessions, "now": timezone.now(),
                                                   "nav": "doctors"})


@login_required
@require_http_methods(["GET", "POST"])
def book_window(request, window_id):
    """Choose the patient and confirm; a full window offers the waitlist."""
    window = selectors.get_window(external_id=window_id)
    ctx = _ctx(request)
    my_patients = patients.list_patients(ctx=ctx)
    full = False
    if request.method == "POST":
        action = request.POST.get("action", "book")
        patient_id = request.POST.get("patient_id", "")
        try:
            if action == "waitlist":
                services.join_waitlist(ctx=ctx, patient_id=patient_id, window_id=window_id)
                messages.success(request, _("已加入候补，有号源释放时将按顺序为您保留并通知您。"))
                return redirect("booking:mine")
            result = services.book(ctx=ctx, patient_id=patient_id, window_id=window_id,
                                   idempotency_key=request.POST.get("idempotency_key", ""))
        except WindowFull as error:
            full = True
            messages.error(request, message_for(error))
        except DomainError as error:
            if error.status in (404, 429):
                raise
            messages.error(request, message_for(error))
        else:
            return redirect("booking:detail", booking_id=result.external_id)
    from yiyun.scheduling.services import policy_for

    free = selectors.free_places([window.pk]).get(window.pk, 0)
    return render(request, "booking/book.html", {
        "hold_minutes": policy_for(window.session.hospital_id).hold_minutes,
        "window": window, "session": window.session, "patients": my_patients, "free": free, "full": full or not free,
        "idempotency_key": uuid.uuid4().hex, "now": timezone.now(), "nav": "hospitals"})


@login_required
def my_bookings(request):
    bookings = selectors.my_bookings(ctx=_ctx(request))
    waitlist = list(selectors.my_waitlist(account=request.user).exclude(status="booked")[:30])
    for entry in waitlist:
        entry.position = selectors.waitlist_position(entry)
    return render(request, "booking/mine.html", {"bookings": bookings, "waitlist": waitlist, "nav": "mine",
                                                 "now": timezone.now()})


@login_required
def booking_detail(request, booking_id):
    from yiyun.scheduling.services import policy_for

    booking = selectors.access_booking(ctx=_ctx(request), external_id=booking_id)
    return render(request, "booking/detail.html", {
        "booking": booking, "now": timezone.now(), "nav": "mine", "events": booking.events.all(),
        "cancel_hours": policy_for(booking.hospital_id).cancel_deadline_minutes / 60})


@login_required
@require_POST
def cancel_booking(request, booking_id):
    try:
        services.cancel(ctx=_ctx(request), booking_id=booking_id, reason=request.POST.get("reason", ""))
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, message_for(error))
    else:
        messages.success(request, _("预约已取消；如已支付，挂号费将原路退回。"))
    return redirect("booking:detail", booking_id=booking_id)


@login_required
@require_POST
def pay_booking(request, booking_id):
    try:
        checkout = start_payment(ctx=_ctx(request), booking_id=booking_id, method=request.POST.get("method", "redirect"))
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, message_for(error))
        return redirect("booking:detail", booking_id=booking_id)
    return redirect(checkout.url)


@login_required
@require_POST
def leave_waitlist(request, entry_id):
    services.leave_waitlist(ctx=_ctx(request), entry_id=entry_id)
    messages.success(request, _("已取消候补"))
    return redirect("booking:mine")
