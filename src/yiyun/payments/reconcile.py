"""Reconciliation (对账): every payment's ledger, its running totals, its refunds and its status must agree
with each other and with the gateway's own statement. Read-only: it reports, a person decides."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum

from yiyun.payments import ledger
from yiyun.payments.models import LedgerEntry, Payment, Refund
from yiyun.payments.providers import get_provider
from yiyun.payments.states import OPEN_STATUSES, PaymentStatus, RefundStatus


@dataclass(frozen=True)
class Discrepancy:
    subject: str  # out_trade_no, or the posting / gateway trade concerned
    problem: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.problem}"


@dataclass
class ReconcileReport:
    payments_checked: int = 0
    statement_lines: int = 0
    discrepancies: list[Discrepancy] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.discrepancies

    def add(self, subject: str, problem: str) -> None:
        self.discrepancies.append(Discrepancy(subject, problem))


def reconcile() -> ReconcileReport:
    report = ReconcileReport()
    _check_postings(report)
    payments = list(Payment.objects.order_by("id"))
    balances = _ledger_balances()
    refunds = _refund_totals()
    for payment in payments:
        _check_payment(report, payment, balances.get(payment.pk, {}), refunds.get(payment.pk, {}))
    report.payments_checked = len(payments)
    for provider in sorted({p.provider for p in payments}):
        _check_statement(report, provider, [p for p in payments if p.provider == provider])
    return report


def _check_postings(report: ReconcileReport) -> None:
    unbalanced = (LedgerEntry.objects.values("txn").annotate(total=Sum("amount_fen")).exclude(total=0)
                  .order_by("txn"))
    for row in unbalanced:
        report.add(f"凭证 {row['txn']}", f"借贷不平：合计 {row['total']} 分")


def _ledger_balances() -> dict[int, dict[str, int]]:
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for row in LedgerEntry.objects.values("payment_id", "account").annotate(total=Sum("amount_fen")):
        found[row["payment_id"]][row["account"]] = row["total"]
    return found


def _refund_totals() -> dict[int, dict[str, int]]:
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for row in Refund.objects.values("payment_id", "status").annotate(total=Sum("amount_fen")):
        found[row["payment_id"]][row["status"]] = row["total"]
    return found


def _check_payment(report: ReconcileReport, payment: Payment, balance: dict, refunds: dict) -> None:
    subject = payment.out_trade_no
    in_flight = refunds.get(RefundStatus.REQUESTED, 0)
    expected = ledger.expected_balances(captured_fen=payment.captured_fen, refunded_fen=payment.refunded_fen,
                                        in_flight_fen=in_flight)
    for account, want in expected.items():
        have = balance.get(account, 0)
        if have != want:
            report.add(subject, f"科目 {account} 余额 {have} 分，按支付单应为 {want} 分")
    if refunds.get(RefundStatus.SUCCEEDED, 0) != payment.refunded_fen:
        report.add(subject, f"已退金额 {payment.refunded_fen} 分，与退款单合计 "
                            f"{refunds.get(RefundStatus.SUCCEEDED, 0)} 分不符")
    if payment.refunded_fen + in_flight > payment.captured_fen:
        report.add(subject, "退款（含在途）超过实收金额")
    problem = _status_problem(payment)
    if problem:
        report.add(subject, problem)


def _status_problem(payment: Payment) -> str:
    captured, refunded, status = payment.captured_fen, payment.refunded_fen, payment.status
    if status in OPEN_STATUSES or status == PaymentStatus.CLOSED:
        ok = captured == 0
    elif status == PaymentStatus.SUCCEEDED:
        ok = captured > 0 and refunded == 0
    elif status == PaymentStatus.PARTIALLY_REFUNDED:
        ok = 0 < refunded < captured
    else:
        ok = captured > 0 and refunded == captured
    return "" if ok else f"状态 {status} 与金额不符（实收 {captured} 分，已退 {refunded} 分）"


def _check_statement(report: ReconcileReport, provider: str, payments: list[Payment]) -> None:
    lines = {line.out_trade_no: line for line in get_provider(provider).statement()}
    report.statement_lines += len(lines)
    ours = {p.out_trade_no: p for p in payments}
    for out_trade_no, line in lines.items():
        payment = ours.get(out_trade_no)
        if payment is None:
            report.add(out_trade_no, f"渠道 {provider} 有收款 {line.paid_fen} 分，本地无此支付单")
            continue
        if line.paid_fen != payment.captured_fen:
            report.add(out_trade_no, f"渠道收款 {line.paid_fen} 分，本地实收 {payment.captured_fen} 分")
        if line.refunded_fen != payment.refunded_fen:
            report.add(out_trade_no, f"渠道已退 {line.refunded_fen} 分，本地已退 {payment.refunded_fen} 分")
    for out_trade_no, payment in ours.items():
        if payment.captured_fen and out_trade_no not in lines:
            report.add(out_trade_no, f"本地实收 {payment.captured_fen} 分，渠道对账单无此交易")
