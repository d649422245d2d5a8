"""The back-office: read-only payments, refunds, ledger and notices; operators see their hospitals only."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import login_client
from tests.factories import make_hospital, make_operator, make_user
from tests.payments.conftest import ORDER_TYPE, pay_at_gateway
from yiyun.accounts.models import Role
from yiyun.payments import services

pytestmark = pytest.mark.django_db(transaction=True)
PAGES = ["payment", "refund", "ledgerentry", "paymentnotification"]


def _paid(account, hospital, subject):
    payment = services.create_payment(order_type=ORDER_TYPE, order_id=subject, account=account, amount_fen=1800,
                                      subject=subject, hospital=hospital,
                                      expires_at=timezone.now() + dt.timedelta(minutes=15))
    payment = pay_at_gateway(payment)
    services.refund(payment=payment, amount_fen=300, reason="部分退费", idempotency_key="r")
    return payment


def test_platform_admin_sees_everything_read_only(orders, account):
    ours = _paid(account, make_hospital(name="本院"), "本院挂号费")
    platform_admin = make_user(role=Role.PLATFORM_ADMIN)
    platform_admin.is_superuser = True
    platform_admin.save(update_fields=["is_superuser"])
    admin = login_client(platform_admin)
    for model in PAGES:
        response = admin.get(f"/admin/payments/{model}/")
        assert response.status_code == 200, model
    listing = admin.get("/admin/payments/payment/").content.decode()
    assert "本院挂号费" in listing and "¥18.00" in listing
    detail = admin.get(f"/admin/payments/payment/{ours.pk}/change/")
    assert detail.status_code == 200 and "保存" not in detail.content.decode()
    assert admin.get("/admin/payments/payment/add/").status_code == 403
    assert admin.get(f"/admin/payments/payment/{ours.pk}/delete/").status_code == 403
    assert admin.get("/admin/sandboxpay/sandboxnotice/").status_code == 200


def test_operators_see_only_their_hospitals_payments_and_cannot_sync(orders, account):
    mine, theirs = make_hospital(name="本院"), make_hospital(name="他院")
    ours, other = _paid(account, mine, "本院挂号费"), _paid(account, theirs, "他院挂号费")
    operator = login_client(make_operator(mine))
    for model in PAGES:
        assert operator.get(f"/admin/payments/{model}/").status_code == 200, model
    listing = operator.get("/admin/payments/payment/").content.decode()
    assert "本院挂号费" in listing and "他院挂号费" not in listing and "向支付渠道查询并同步" not in listing
    assert ours.out_trade_no in operator.get("/admin/payments/refund/").content.decode()
    assert other.out_trade_no not in operator.get("/admin/payments/ledgerentry/").content.decode()
    assert operator.get(f"/admin/payments/payment/{other.pk}/change/").status_code in (302, 404)
    assert operator.get("/admin/sandboxpay/sandboxtrade/").status_code == 403


def test_patients_have_no_back_office(orders, account):
    assert login_client(account).get("/admin/payments/payment/").status_code == 302
