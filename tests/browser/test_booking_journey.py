"""A demo patient books a number, pays the fee in the sandbox gateway, and sees the booking confirmed.
(Check-in and the queue position continue in tests/browser/test_queue_journey.py when the queue app is in.)"""

from __future__ import annotations

import pytest

from tests.browser.conftest import shot
from yiyun.booking.models import Booking
from yiyun.catalog.models import Department
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
