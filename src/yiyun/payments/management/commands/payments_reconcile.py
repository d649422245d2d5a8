"""`yiyun payments-reconcile`: check every payment's ledger, totals, refunds and status against each other and
the gateway's statement; print the discrepancies and exit non-zero if there are any."""

from django.core.management.base import BaseCommand, CommandError

from yiyun.payments.reconcile import reconcile


class Command(BaseCommand):
    help = "Reconcile payments, the ledger and the gateways' statements (exit 1 on any discrepancy)."

    def handle(self, *args, **options):
        report = reconcile()
        for item in report.discrepancies:
            self.stdout.write(f"不符 {item}")
        summary = (f"{report.payments_checked} 笔支付单，{report.statement_lines} 条渠道对账记录，"
                   f"{len(report.discrepancies)} 处不符")
        if not report.ok:
            raise CommandError(f"对账不平：{summary}", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"对账平：{summary}"))
