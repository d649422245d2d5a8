"""A demo patient books a number, pays the fee in the sandbox gateway and sees the booking confirmed; on a
clinic starting soon, books, pays, checks in and sees the queue position."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.browser.conftest import shot
from tests.factories import make_patient, make_session, make_user
from yiyun.audit.services import AccessContext
from yiyun.booking import services as booking_services
from yiyun.booking.models import Booking
from yiyun.catalog.models import Department, Doctor
from yiyun.demo.seed import DEMO_PASSWORD, seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, base, phone="13800000001", next_url="/"):
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("#id_phone", phone)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_load_state()


def test_book_and_pay_in_the_sandbox(live_server, phone_page):
    seed_demo()
    department = Department.objects.get(hospital__code="YY-H001", name="心血管内科")
    page = phone_page
    login(page, live_server.url)
    page.goto(f"{live_server.url}/departments/{department.external_id}/")
    page.click("[data-testid=book-department]")
    page.wait_for_load_state()
    # Tomorrow: the first date chip after today always has open morning windows in the demo.
    page.locator(".datechip").nth(1).click()
    page.wait_for_load_state()
    shot(page, "booking-01-department-dates")
    page.locator("[data-testid=slot]:not(.full)").first.click()
    page.wait_for_load_state()
    page.check("[data-testid=patient-王小明]")
    shot(page, "booking-02-confirm")
    page.click("[data-testid=confirm-booking]")
    page.wait_for_url("**/me/bookings/*/")
    assert page.inner_text("[data-testid=booking-status]") == "待支付"
    number = page.inner_text("[data-testid=booking-number]")
    shot(page, "booking-03-held")
    page.click("[data-testid=pay]")
    page.wait_for_url("**/sandbox-pay/**")
    assert page.inner_text("[data-testid=cashier-amount]").startswith("¥")
    shot(page, "booking-04-sandbox-cashier")
    page.click("[data-testid=confirm-pay]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/me/bookings/")
    page.locator("[data-testid=my-bookings] a").first.click()
    page.wait_for_load_state()
    assert page.inner_text("[data-testid=booking-status]") == "已预约"
    assert page.inner_text("[data-testid=booking-number]") == number
    shot(page, "booking-05-confirmed")
    booking = Booking.objects.get(number=int(number), patient__name="王小明", status="confirmed")
    assert booking.payment_ref


def test_book_pay_check_in_and_see_the_queue_position(live_server, phone_page):
    seed_demo()
    now = timezone.localtime()
    start = (now + dt.timedelta(minutes=20)).replace(second=0, microsecond=0)
    if start.date() != now.date() or (start + dt.timedelta(minutes=30)).date() != now.date():
        pytest.skip("a clinic starting in 20 minutes would cross midnight")
    doctor = Doctor.objects.get(name="张伟", user__isnull=False)
    session = make_session(doctor, department=doctor.departments.get(), day=now.date(), period="eve",
                           start=start.time().replace(second=0), windows=1, online=3, onsite=0, fee_fen=1500)
    window = session.windows.get()
    early = make_user()  # someone already waiting in front of us
    early_booking = booking_services.book(ctx=AccessContext(actor=early, channel="api"),
                                          patient_id=make_patient(early, name="钱先到").external_id,
                                          window_id=window.external_id)
    booking_services.confirm_paid(booking_external_id=early_booking.external_id, payment_ref="demo-paid")
    from yiyun.queue import services as queue_services

    queue_services.enqueue(booking=Booking.objects.get(pk=early_booking.booking_id), now=timezone.now(), actor=early)

    page = phone_page
    login(page, live_server.url, next_url=f"/book/windows/{window.external_id}/")
    page.check("[data-testid=patient-王小明]")
    page.click("[data-testid=confirm-booking]")
    page.wait_for_url("**/me/bookings/*/")
    page.click("[data-testid=pay]")
    page.wait_for_url("**/sandbox-pay/**")
    page.click("[data-testid=confirm-pay]")
    page.wait_for_load_state()
    booking = Booking.objects.get(window=window, patient__name="王小明")
    page.goto(f"{live_server.url}/me/bookings/{booking.external_id}/")
    assert page.inner_text("[data-testid=booking-status]") == "已预约"
    page.click("[data-testid=queue-link]")
    page.wait_for_load_state()
    shot(page, "booking-06-before-check-in")
    page.click("[data-testid=check-in]")
    page.wait_for_selector("[data-testid=ahead]")
    assert page.inner_text("[data-testid=ahead]").split()[0] == "1"
    assert "分钟" in page.inner_text("[data-testid=eta]")
    shot(page, "booking-07-queue-position")
    booking.refresh_from_db()
    assert booking.status == "checked_in"
