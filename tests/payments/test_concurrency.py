"""Races, on PostgreSQL as in production: the same notification delivered by several workers at once, the same
payment created twice at once, refunds racing for the same money."""

import threading

import pytest
from django.db import connection, connections

from tests.payments.conftest import assert_reconciled, new_payment, notices_of, pay_at_gateway, postings
from yiyun.payments import services
from yiyun.payments.errors import RefundExceedsCaptured
from yiyun.payments.models import Payment, PaymentNotification, Refund
from yiyun.payments.sandbox.notices import PAYMENT_SUCCESS, queue_notice, signed_request

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="row locks and concurrent writers need PostgreSQL (SQLite serialises every writer)"),
]
WORKERS = 8


def _at_once(calls):
    """Run the calls in threads released together; return (results, errors)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # collected and asserted on by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_one_notice_delivered_by_many_workers_at_once_captures_once(orders, faults, account):
    faults(drop_rate=1.0)
    payment = pay_at_gateway(new_payment(account))
    faults()
    first = notices_of(payment).get()
    from django.db import transaction

    with transaction.atomic():  # a second notice, new id, same news: the gateway re-announcing
        second = queue_notice(trade=first.trade, event_type=PAYMENT_SUCCESS)
    requests = [signed_request(first), signed_request(second)]
    calls = [lambda r=requests[i % 2]: services.handle_notification(provider="sandbox", body=r[0], headers=r[1])
             for i in range(WORKERS)]
    results, errors = _at_once(calls)
    assert errors == []
    assert [status for status, _ in results] == [200] * WORKERS
    payment.refresh_from_db()
    assert (payment.status, payment.captured_fen) == ("succeeded", 2500)
    assert postings(payment) == [("capture", "gateway_clearing", 2500), ("capture", "order_revenue", -2500)]
    assert orders.paid == [payment.order_id]
    outcomes = sorted(PaymentNotification.objects.values_list("outcome", flat=True))
    assert outcomes == ["already_captured", "captured"]
    assert_reconciled()


def test_the_same_payment_created_at_once_is_one_payment(orders, account):
    import datetime as dt

    from django.utils import timezone

    expires = timezone.now() + dt.timedelta(minutes=15)
    calls = [lambda: services.create_payment(order_type="test_order", order_id="booking-race", account=account,
                                             amount_fen=2500, subject="挂号费", expires_at=expires)
             for _ in range(WORKERS)]
    results, errors = _at_once(calls)
    assert errors == []
    assert len({p.pk for p in results}) == 1 and Payment.objects.count() == 1


def test_refunds_racing_for_the_same_money_never_exceed_the_capture(orders, faults, account):
    faults(refund_delay_seconds=60)
    payment = pay_at_gateway(new_payment(account, amount_fen=3000))
    calls = [lambda i=i: services.refund(payment=payment, amount_fen=1000, reason="退费", idempotency_key=f"r{i}")
             for i in range(WORKERS)]
    results, errors = _at_once(calls)
    assert len([r for r in results if r is not None]) == 3
    assert len(errors) == WORKERS - 3 and all(isinstance(e, RefundExceedsCaptured) for e in errors)
    assert sum(Refund.objects.filter(payment=payment).values_list("amount_fen", flat=True)) == 3000
    assert_reconciled()
