"""The ledger is double-entry and append-only; reconcile() and `yiyun payments-reconcile` find what disagrees."""

import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import Sum

from tests.payments.conftest import assert_reconciled, new_payment, pay_at_gateway
from yiyun.payments import services
from yiyun.payments.models import LedgerEntry, Payment
from yiyun.payments.reconcile import reconcile
from yiyun.payments.sandbox.models import SandboxTrade

pytestmark = pytest.mark.django_db(transaction=True)


def _busy_day(orders, faults, account) -> list[Payment]:
    """A mix: kept, partly refunded, fully refunded, refused by the order, closed, still open."""
    kept = pay_at_gateway(new_payment(account, amount_fen=1500))
    partly = pay_at_gateway(new_payment(account, amount_fen=5000))
    services.refund(payment=partly, amount_fen=2000, reason="部分退费", idempotency_key="p1")
    fully = pay_at_gateway(new_payment(account, amount_fen=3000))
    services.refund(payment=fully, amount_fen=3000, reason="取消", idempotency_key="f1")
    orders.accept = False
    refused = pay_at_gateway(new_payment(account, amount_fen=800))
    orders.accept = True
    closed = services.close_payment(payment=new_payment(account))
    faults(refund_delay_seconds=60)
    in_flight = pay_at_gateway(new_payment(account, amount_fen=900))
    services.refund(payment=in_flight, amount_fen=400, reason="退费", idempotency_key="i1")
    return [kept, partly, fully, refused, closed, in_flight, new_payment(account)]


def test_every_posting_and_every_payment_sums_to_zero(orders, faults, account):
    payments = _busy_day(orders, faults, account)
    for txn in LedgerEntry.objects.values_list("txn", flat=True).distinct():
        rows = LedgerEntry.objects.filter(txn=txn)
        assert rows.count() == 2 and rows.aggregate(s=Sum("amount_fen"))["s"] == 0
    for payment in payments:
        assert (LedgerEntry.objects.filter(payment=payment).aggregate(s=Sum("amount_fen"))["s"] or 0) == 0
    clearing = LedgerEntry.objects.filter(account="gateway_clearing").aggregate(s=Sum("amount_fen"))["s"]
    assert clearing == 1500 + 3000 + 900  # what the gateway still holds: kept, partly (5000−2000), in flight
    report = reconcile()
    assert report.ok, report.discrepancies
    assert (report.payments_checked, report.statement_lines) == (7, 5)


def test_ledger_rows_cannot_be_changed_or_deleted_through_the_orm(orders, account):
    payment = pay_at_gateway(new_payment(account))
    row = LedgerEntry.objects.filter(payment=payment).first()
    row.amount_fen = 1
    for attempt in (row.save, row.delete, lambda: LedgerEntry.objects.filter(pk=row.pk).update(amount_fen=1),
                    lambda: LedgerEntry.objects.filter(pk=row.pk).delete()):
        with pytest.raises(PermissionError):
            attempt()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL only")
def test_postgres_refuses_raw_updates_and_deletes_of_the_ledger(orders, account):
    payment = pay_at_gateway(new_payment(account))
    row = LedgerEntry.objects.filter(payment=payment).first()
    for sql in ("UPDATE payments_ledgerentry SET amount_fen = 1 WHERE id = %s",
                "DELETE FROM payments_ledgerentry WHERE id = %s",
                "DELETE FROM payments_paymentnotification WHERE payment_id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [row.pk if "ledger" in sql else payment.pk])
    assert LedgerEntry.objects.filter(payment=payment).aggregate(s=Sum("amount_fen"))["s"] == 0


def test_reconcile_finds_an_unbalanced_posting(orders, faults, account):
    payments = _busy_day(orders, faults, account)
    LedgerEntry.objects.create(txn=uuid.uuid4(), kind="capture", payment=payments[0], account="gateway_clearing",
                               amount_fen=100)
    problems = [str(d) for d in reconcile().discrepancies]
    assert any("借贷不平" in p for p in problems)
    assert any(payments[0].out_trade_no in p and "gateway_clearing" in p for p in problems)
    assert len(problems) == 2


def test_reconcile_finds_a_gateway_statement_that_disagrees(orders, faults, account):
    payments = _busy_day(orders, faults, account)
    partly = payments[1]
    SandboxTrade.objects.filter(out_trade_no=partly.out_trade_no).update(refunded_fen=2500)
    problems = [str(d) for d in reconcile().discrepancies]
    assert problems == [f"{partly.out_trade_no}: 渠道已退 2500 分，本地已退 2000 分"]


def test_reconcile_finds_money_the_gateway_took_that_we_never_recorded(orders, faults, account):
    faults(drop_rate=1.0)
    lost = pay_at_gateway(new_payment(account))
    problems = [str(d) for d in reconcile().discrepancies]
    assert problems == [f"{lost.out_trade_no}: 渠道收款 2500 分，本地实收 0 分"]
    services.query_and_sync(payment=lost)
    assert_reconciled()


def test_reconcile_finds_totals_and_status_that_disagree_with_the_ledger(orders, account):
    payment = pay_at_gateway(new_payment(account))
    Payment.objects.filter(pk=payment.pk).update(status="closed")
    problems = [str(d) for d in reconcile().discrepancies]
    assert problems == [f"{payment.out_trade_no}: 状态 closed 与金额不符（实收 2500 分，已退 0 分）"]


def test_the_command_prints_discrepancies_and_exits_non_zero(orders, faults, account, capsys):
    payments = _busy_day(orders, faults, account)
    call_command("payments_reconcile")
    assert "对账平：7 笔支付单，5 条渠道对账记录，0 处不符" in capsys.readouterr().out
    SandboxTrade.objects.filter(out_trade_no=payments[0].out_trade_no).update(amount_fen=1400)
    with pytest.raises(CommandError) as failed:
        call_command("payments_reconcile")
    assert failed.value.returncode == 1 and "1 处不符" in str(failed.value)
    assert f"不符 {payments[0].out_trade_no}: 渠道收款 1400 分，本地实收 1500 分" in capsys.readouterr().out
