"""The payments API: owner-only reads (anyone else gets 404), checkout, and the error envelope."""

import pytest
from django.test import Client

from tests.conftest import login_client
from tests.factories import make_user
from tests.payments.conftest import new_payment, pay_at_gateway
from yiyun.payments import services
from yiyun.payments.sandbox.models import SandboxTrade

pytestmark = pytest.mark.django_db(transaction=True)
URL = "/api/v1/payments"


def test_the_owner_sees_the_payment_with_its_refunds(orders, account):
    payment = pay_at_gateway(new_payment(account))
    services.refund(payment=payment, amount_fen=500, reason="部分退费", idempotency_key="r1")
    body = login_client(account).get(f"{URL}/{payment.external_id}").json()
    assert (body["id"], body["status"], body["status_label"]) == (str(payment.external_id), "partially_refunded",
                                                                  "部分退款")
    assert (body["amount_fen"], body["captured_fen"], body["refunded_fen"]) == (2500, 2500, 500)
    assert [(r["amount_fen"], r["status"], r["reason"]) for r in body["refunds"]] == [(500, "succeeded", "部分退费")]
    listed = login_client(account).get(URL).json()
    assert [p["id"] for p in listed] == [str(payment.external_id)]


def test_another_account_gets_404_and_anonymous_401(orders, account):
    payment = new_payment(account)
    intruder = login_client(make_user())
    for response in (intruder.get(f"{URL}/{payment.external_id}"),
                     intruder.post(f"{URL}/{payment.external_id}/checkout", {"method": "qr"},
                                   content_type="application/json")):
        assert response.status_code == 404 and response.json()["code"] == "payment_not_found"
    assert intruder.get(URL).json() == []
    assert not SandboxTrade.objects.exists()
    assert intruder.get(f"{URL}/not-a-uuid").status_code == 404
    assert Client().get(f"{URL}/{payment.external_id}").status_code == 401


def test_checkout_answers_a_url_or_a_qr_text(orders, account):
    payment = new_payment(account)
    client = login_client(account)
    redirect = client.post(f"{URL}/{payment.external_id}/checkout", {"method": "redirect"},
                           content_type="application/json").json()
    trade = SandboxTrade.objects.get()
    assert redirect["method"] == "redirect" and redirect["url"] == f"/sandbox-pay/{trade.trade_no}/"
    assert redirect["qr"] is None
    qr = client.post(f"{URL}/{payment.external_id}/checkout", {"method": "qr"}, content_type="application/json")
    assert qr.json()["qr"] == f"sandboxpay://pay?trade_no={trade.trade_no}" and qr.json()["url"] is None
    bad = client.post(f"{URL}/{payment.external_id}/checkout", {"method": "cash"}, content_type="application/json")
    assert bad.status_code == 422 and "method" in bad.json()["fields"]


def test_checkout_of_a_closed_payment_is_409_with_the_envelope(orders, account):
    payment = new_payment(account)
    services.close_payment(payment=payment)
    response = login_client(account).post(f"{URL}/{payment.external_id}/checkout", {},
                                          content_type="application/json")
    assert response.status_code == 409
    assert response.json() == {"code": "payment_closed", "message": "支付单已关闭，请重新下单",
                                "message_en": "This payment is closed; please place the order again", "fields": {}}
