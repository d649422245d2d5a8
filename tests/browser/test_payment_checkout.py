"""A patient pays a fee at the sandbox cashier (redirect), then opens a QR checkout; elder mode on the cashier."""

from __future__ import annotations

import pytest

from tests.browser.conftest import shot
from tests.factories import PASSWORD, make_user
from tests.payments.conftest import ORDER_TYPE, FakeOrders, new_payment
from yiyun.payments import registry
from yiyun.payments.models import Payment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page_width(page) -> int:
    """The laid-out width in CSS px (a phone zooms out when something is wider than its 390 px screen)."""
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.fixture
def orders():
    handler = FakeOrders()
    registry.register(ORDER_TYPE, handler)
    yield handler
    registry.unregister(ORDER_TYPE)


def test_patient_pays_at_the_cashier_and_sees_it_paid(live_server, phone_page, orders):
    account = make_user(phone="13811112222")
    payment = new_payment(account, amount_fen=5000)
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/?next=/me/payments/{payment.external_id}/")
    page.fill("#id_phone", "13811112222")
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_url(f"**/me/payments/{payment.external_id}/")
    assert page.inner_text("[data-testid=amount]") == "¥50.00"
    shot(page, "pay-01-order")

    page.click("[data-testid=pay-redirect]")
    page.wait_for_url("**/sandbox-pay/**")
    assert page.inner_text("[data-testid=cashier-amount]") == "¥50.00"
    assert "挂号费" in page.inner_text("[data-testid=cashier-subject]")
    assert _page_width(page) <= 390
    shot(page, "pay-02-cashier")

    page.click("[data-testid=confirm-pay]")
    page.wait_for_url(f"**/me/payments/{payment.external_id}/")
    assert page.inner_text("[data-testid=payment-status]") == "已支付"
    assert Payment.objects.get(pk=payment.pk).captured_fen == 5000 and orders.paid == [payment.order_id]
    shot(page, "pay-03-paid")

    second = new_payment(account, amount_fen=1200)
    page.goto(f"{live_server.url}/me/payments/{second.external_id}/")
    page.click("[data-testid=pay-qr]")
    page.wait_for_selector("[data-testid=qr-text]")
    assert page.inner_text("[data-testid=qr-text]").startswith("sandboxpay://pay?trade_no=")
    shot(page, "pay-04-qr")

    page.click("text=模拟扫码（沙箱）")
    page.wait_for_url("**/sandbox-pay/SBX*/")
    page.click("[data-testid=elder-toggle]")
    page.wait_for_load_state()
    assert "elder" in (page.get_attribute("html", "class") or "")
    assert _page_width(page) <= 390  # nothing sticks out sideways
    shot(page, "pay-05-cashier-elder")
