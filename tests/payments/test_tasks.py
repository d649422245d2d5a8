"""The periodic work: `yiyun payments-tick` (what Celery beat runs in production) recovers lost news."""

import pytest
from django.core.management import call_command

from tests.payments.conftest import new_payment, pay_at_gateway
from yiyun.payments.models import Payment

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_tick_delivers_due_notices_and_syncs_stale_payments(orders, faults, account, clock, capsys):
    faults(delay_seconds=30)
    delayed = pay_at_gateway(new_payment(account))
    faults(drop_rate=1.0)
    dropped = pay_at_gateway(new_payment(account))
    faults()
    assert {delayed.status, dropped.status} == {"pending"}
    clock.advance(seconds=31)
    call_command("payments_tick")
    assert Payment.objects.get(pk=delayed.pk).status == "succeeded"  # the gateway's clock sent it
    assert Payment.objects.get(pk=dropped.pk).status == "pending"  # lost; not stale yet
    clock.advance(minutes=2)
    call_command("payments_tick")
    assert Payment.objects.get(pk=dropped.pk).status == "succeeded"  # found by the active query
    assert "payments sync" in capsys.readouterr().out
    assert sorted(orders.paid) == sorted([delayed.order_id, dropped.order_id])
