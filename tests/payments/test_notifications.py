"""Gateway notifications: signature checks, duplicates, out-of-order and late delivery, lost notices, retries."""

import json

import pytest
from django.db import transaction
from django.test import Client

from tests.payments.conftest import new_payment, notices_of, pay_at_gateway, postings
from yiyun.payments import services
from yiyun.payments.models import Payment, PaymentNotification
from yiyun.payments.sandbox import gateway, signing
from yiyun.payments.sandbox.models import SandboxNotice
from yiyun.payments.sandbox.notices import PAYMENT_SUCCESS, deliver_due, queue_notice, signed_request

pytestmark = pytest.mark.django_db(transaction=True)
NOTIFY = "/api/v1/payments/notify/sandbox"
CAPTURE_PAIR = [("capture", "gateway_clearing", 2500), ("capture", "order_revenue", -2500)]


def _held_notice(payment, faults):
    """Pay at the gateway with delivery switched off; return the signed notice the gateway would send."""
    faults(drop_rate=1.0)
    pay_at_gateway(payment)
    faults()
    return signed_request(notices_of(payment).get())


def _post(client, body, headers):
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()
             if name != "Content-Type"}
    return client.post(NOTIFY, data=body, content_type="application/json", **extra)


def test_a_signed_notice_captures_and_gets_the_answer_the_gateway_expects(orders, faults, account):
    payment = new_payment(account)
    body, headers = _held_notice(payment, faults)
    client = Client(enforce_csrf_checks=True)  # the gateway has no CSRF token: the hook must not need one
    response = _post(client, body, headers)
    assert response.status_code == 200 and response.json() == {"code": "SUCCESS", "message": "成功"}
    payment.refresh_from_db()
    assert (payment.status, payment.captured_fen) == ("succeeded", 2500)
    assert postings(payment) == CAPTURE_PAIR
    assert orders.paid == [payment.order_id]


@pytest.mark.parametrize("tamper", ["body", "signature", "wrong_key", "missing_header", "stale"])
def test_a_bad_signature_is_refused_with_400_and_changes_nothing(orders, faults, account, tamper, caplog, clock):
    payment = new_payment(account)
    body, headers = _held_notice(payment, faults)
    if tamper == "body":
        body = body.replace(b'"total":2500', b'"total":1')
    elif tamper == "signature":
        headers[signing.HEADER_SIGNATURE] = "0" * 64
    elif tamper == "wrong_key":
        headers[signing.HEADER_SIGNATURE] = signing.signature(
            key=b"someone-elses-key", timestamp=headers[signing.HEADER_TIMESTAMP],
            nonce=headers[signing.HEADER_NONCE], body=body)
    elif tamper == "missing_header":
        del headers[signing.HEADER_NONCE]
    else:
        clock.advance(minutes=6)  # a replay of a notice signed six minutes ago
    response = _post(Client(), body, headers)
    assert response.status_code == 400
    assert response.json()["code"] == "bad_signature" and set(response.json()) == {
        "code", "message", "message_en", "fields"}
    payment.refresh_from_db()
    assert payment.status == "pending" and payment.captured_fen == 0 and postings(payment) == []
    assert not PaymentNotification.objects.exists() and orders.paid == []
    logged = caplog.text
    assert signing.merchant_key().decode() not in logged and headers.get(signing.HEADER_SIGNATURE, "-") not in logged


def test_unknown_provider_is_404():
    response = Client().post("/api/v1/payments/notify/nopay", data=b"{}", content_type="application/json")
    assert response.status_code == 404 and response.json()["code"] == "provider_not_found"


def test_duplicate_deliveries_capture_once_with_one_ledger_pair(orders, faults, account):
    faults(duplicate=3)  # every notice sent four times
    payment = pay_at_gateway(new_payment(account))
    notice = notices_of(payment).get()
    assert notice.status == "delivered" and notice.attempts == 1
    assert payment.captured_fen == 2500 and postings(payment) == CAPTURE_PAIR
    assert orders.paid == [payment.order_id]
    assert list(PaymentNotification.objects.values_list("outcome", flat=True)) == ["captured"]


def test_replaying_a_notice_and_a_fresh_notice_for_the_same_payment_change_nothing(orders, faults, account):
    payment = new_payment(account)
    body, headers = _held_notice(payment, faults)
    answers = [_post(Client(), body, headers) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    trade = gateway.query_trade(out_trade_no=payment.out_trade_no)
    with transaction.atomic():
        queue_notice(trade=trade, event_type=PAYMENT_SUCCESS)  # the gateway re-announces under a new id
    payment.refresh_from_db()
    assert payment.captured_fen == 2500 and postings(payment) == CAPTURE_PAIR and orders.paid == [payment.order_id]
    assert sorted(PaymentNotification.objects.values_list("outcome", flat=True)) == ["already_captured", "captured"]


def test_a_refund_notice_before_the_pay_notice(orders, faults, account):
    """Notices reordered: the capture is learnt by an active query, the refund's notice overtakes the
    (older) pay notice. One capture, one refund, books balanced."""
    faults(reorder=True)
    payment = pay_at_gateway(new_payment(account))
    assert payment.status == "pending"  # the pay notice is held back
    payment = services.query_and_sync(payment=payment)
    assert payment.status == "succeeded"
    refund = services.refund(payment=payment, amount_fen=2500, reason="患者取消预约", idempotency_key="cancel-1")
    assert refund.status == "requested"  # the refund notice is held back too
    assert deliver_due() == 2
    outcomes = list(PaymentNotification.objects.order_by("id").values_list("event", "outcome"))
    assert outcomes == [("REFUND.SUCCESS", "refund_succeeded"), ("TRANSACTION.SUCCESS", "already_captured")]
    payment.refresh_from_db()
    assert (payment.status, payment.captured_fen, payment.refunded_fen) == ("refunded", 2500, 2500)
    assert [kind for kind, _, _ in postings(payment)] == ["capture"] * 2 + ["refund_requested"] * 2 + [
        "refund_paid"] * 2
    assert orders.paid == [payment.order_id] and orders.refunded == [(payment.order_id, 2500, "requested")]


def test_a_dropped_notice_is_recovered_by_the_active_query(orders, faults, account):
    faults(drop_rate=1.0)
    payment = pay_at_gateway(new_payment(account))
    assert notices_of(payment).get().status == "dropped" and payment.status == "pending"
    payment = services.query_and_sync(payment=payment)
    assert payment.status == "succeeded" and postings(payment) == CAPTURE_PAIR and orders.paid == [payment.order_id]


def test_a_failed_delivery_is_retried_with_backoff_and_the_capture_is_not_half_done(orders, faults, account,
                                                                                   clock):
    orders.fail_with = RuntimeError("booking database unavailable")
    payment = pay_at_gateway(new_payment(account))
    notice = notices_of(payment).get()
    assert notice.status == "queued" and notice.attempts == 1
    assert payment.status == "pending" and postings(payment) == []  # the failed capture rolled back whole
    waits = []
    for _ in range(3):  # the gateway's schedule: 15 s, 15 s, 30 s…
        waits.append(round((notice.next_attempt_at - clock.now()).total_seconds()))
        clock.advance(seconds=waits[-1] - 1)
        assert deliver_due() == 0  # not yet due
        clock.advance(seconds=1)
        deliver_due()
        notice.refresh_from_db()
    assert waits == [15, 15, 30] and notice.attempts == 4
    orders.fail_with = None
    clock.advance(seconds=180)
    assert deliver_due() == 1
    notice.refresh_from_db()
    payment.refresh_from_db()
    assert notice.status == "delivered" and notice.attempts == 5
    assert payment.status == "succeeded" and postings(payment) == CAPTURE_PAIR and orders.paid == [payment.order_id]


def test_the_gateway_gives_up_after_its_schedule_and_the_sync_still_finds_the_money(orders, faults, account,
                                                                                   settings, clock):
    settings.PAYMENTS_SANDBOX_RETRY_SECONDS = [15, 15]
    settings.PAYMENTS_SYNC_AFTER_SECONDS = 60
    orders.fail_with = RuntimeError("down")
    payment = pay_at_gateway(new_payment(account))
    for _ in range(3):
        clock.advance(seconds=16)
        deliver_due()
    notice = notices_of(payment).get()
    assert (notice.status, notice.attempts) == (SandboxNotice.Status.GAVE_UP, 3)
    orders.fail_with = None
    from yiyun.payments.tasks import sync_stale_payments

    assert sync_stale_payments()["payments"] == 0  # pending for 48 s: not stale yet
    clock.advance(seconds=15)
    assert sync_stale_payments()["payments"] == 1
    payment.refresh_from_db()
    assert payment.status == "succeeded" and postings(payment) == CAPTURE_PAIR


def test_a_notice_for_an_unknown_payment_is_refused_so_the_gateway_retries(faults, orders, account):
    payment = new_payment(account)
    body, headers = _held_notice(payment, faults)
    data = json.loads(body)
    data["resource"]["out_trade_no"] = "P20260101deadbeefdeadbeefdead"
    forged = json.dumps(data).encode()
    headers[signing.HEADER_SIGNATURE] = signing.signature(
        key=signing.merchant_key(), timestamp=headers[signing.HEADER_TIMESTAMP],
        nonce=headers[signing.HEADER_NONCE], body=forged)
    response = _post(Client(), forged, headers)
    assert response.status_code == 404 and response.json()["code"] == "payment_not_found"
    assert Payment.objects.get(pk=payment.pk).captured_fen == 0


def test_notices_over_http_to_the_notify_url(orders, account, settings, live_server):
    settings.PAYMENTS_SANDBOX_NOTIFY_URL = f"{live_server.url}{NOTIFY}"
    payment = pay_at_gateway(new_payment(account))
    notice = notices_of(payment).get()
    assert notice.status == "delivered" and notice.last_response.startswith("200 ")
    assert payment.status == "succeeded" and postings(payment) == CAPTURE_PAIR
    settings.PAYMENTS_SANDBOX_NOTIFY_URL = f"{live_server.url}/api/v1/payments/notify/nopay"
    unacked = pay_at_gateway(new_payment(account))
    notice = notices_of(unacked).get()
    assert (notice.status, notice.attempts) == ("queued", 1) and notice.last_response.startswith("404 ")
    assert unacked.status == "pending"
