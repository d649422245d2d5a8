"""The patient's payment pages and the sandbox cashier, driven as a phone browser would."""

import pytest

from tests.conftest import login_client
from tests.factories import make_user
from tests.payments.conftest import new_payment
from yiyun.payments.models import Payment
from yiyun.payments.sandbox.models import SandboxTrade

pytestmark = pytest.mark.django_db(transaction=True)


def test_pay_through_the_cashier_and_come_back_paid(orders, account):
    payment = new_payment(account)
    client = login_client(account)
    detail = client.get(f"/me/payments/{payment.external_id}/").content.decode()
    assert "¥25.00" in detail and "去支付" in detail and "扫码支付" in detail
    to_cashier = client.post(f"/me/payments/{payment.external_id}/checkout/", {"method": "redirect"})
    trade = SandboxTrade.objects.get()
    assert to_cashier.status_code == 302 and to_cashier["Location"] == f"/sandbox-pay/{trade.trade_no}/"
    cashier = client.get(to_cashier["Location"]).content.decode()
    for text in ("沙箱收银台", "¥25.00", "挂号费 心血管内科 张伟 主治医师", "确认支付", "取消", 'lang="zh-CN"'):
        assert text in cashier, text
    paid = client.post(f"/sandbox-pay/{trade.trade_no}/pay/")
    assert paid.status_code == 302 and paid["Location"] == f"/me/payments/{payment.external_id}/"
    assert Payment.objects.get(pk=payment.pk).status == "succeeded" and orders.paid == [payment.order_id]
    back = client.get(paid["Location"]).content.decode()
    assert "已支付" in back and "支付成功" in back and "去支付" not in back
    again = client.post(f"/sandbox-pay/{trade.trade_no}/pay/")  # pressing twice pays once
    assert again.status_code == 302 and Payment.objects.get(pk=payment.pk).captured_fen == 2500


def test_cancel_at_the_cashier_leaves_the_payment_unpaid(orders, account):
    payment = new_payment(account)
    client = login_client(account)
    client.post(f"/me/payments/{payment.external_id}/checkout/", {"method": "redirect"})
    trade = SandboxTrade.objects.get()
    cancelled = client.post(f"/sandbox-pay/{trade.trade_no}/cancel/")
    assert cancelled["Location"] == f"/me/payments/{payment.external_id}/"
    assert Payment.objects.get(pk=payment.pk).status == "pending" and orders.paid == []


def test_qr_checkout_shows_the_code_and_scanning_it_opens_the_cashier(orders, account):
    payment = new_payment(account)
    client = login_client(account)
    page = client.post(f"/me/payments/{payment.external_id}/checkout/", {"method": "qr"})
    trade = SandboxTrade.objects.get()
    html = page.content.decode()
    assert page.status_code == 200 and f"sandboxpay://pay?trade_no={trade.trade_no}" in html
    scanned = client.get("/sandbox-pay/scan/", {"code": f"sandboxpay://pay?trade_no={trade.trade_no}"})
    assert scanned["Location"] == f"/sandbox-pay/{trade.trade_no}/"
    qr_variant = client.get(f"/sandbox-pay/{trade.trade_no}/?view=qr").content.decode()
    assert f"sandboxpay://pay?trade_no={trade.trade_no}" in qr_variant and "确认支付" not in qr_variant


def test_a_closed_trade_cannot_be_paid_at_the_cashier(orders, account):
    from yiyun.payments import services

    payment = new_payment(account)
    services.start_checkout(payment=payment)
    services.close_payment(payment=payment)
    trade = SandboxTrade.objects.get()
    client = login_client(account)
    page = client.get(f"/sandbox-pay/{trade.trade_no}/").content.decode()
    assert "该订单已关闭" in page and "确认支付" not in page
    client.post(f"/sandbox-pay/{trade.trade_no}/pay/")
    assert SandboxTrade.objects.get().state == "CLOSED" and Payment.objects.get(pk=payment.pk).captured_fen == 0


def test_another_accounts_payment_page_is_404(orders, account):
    payment = new_payment(account)
    intruder = login_client(make_user())
    assert intruder.get(f"/me/payments/{payment.external_id}/").status_code == 404
    assert intruder.post(f"/me/payments/{payment.external_id}/checkout/", {"method": "redirect"}).status_code == 404
    assert not SandboxTrade.objects.exists()
    assert "还没有支付记录" in intruder.get("/me/payments/").content.decode()


def test_the_cashier_is_off_where_the_sandbox_is_disabled(orders, account, settings):
    payment = new_payment(account)
    from yiyun.payments import services

    services.start_checkout(payment=payment)
    trade = SandboxTrade.objects.get()
    settings.PAYMENTS_SANDBOX_ENABLED = False
    client = login_client(account)
    assert client.get(f"/sandbox-pay/{trade.trade_no}/").status_code == 404
    assert client.post(f"/sandbox-pay/{trade.trade_no}/pay/").status_code == 404
    assert SandboxTrade.objects.get().state == "NOTPAY"
    notify = client.post("/api/v1/payments/notify/sandbox", data=b"{}", content_type="application/json")
    assert notify.status_code == 404 and notify.json()["code"] == "provider_not_found"
