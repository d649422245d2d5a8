"""`yiyun payments-tick`: run the periodic payment work once — the sandbox gateway's due refunds and
notifications, then the sync of stale payments and refunds. Celery beat does this in production; the
embedded default has no beat, so demos and scripts can call this instead."""

from django.conf import settings
from django.core.management.base import BaseCommand

from yiyun.payments.tasks import sync_stale_payments


class Command(BaseCommand):
    help = "Run the periodic payment work once (gateway due work, stale payment sync)."

    def handle(self, *args, **options):
        if settings.PAYMENTS_SANDBOX_ENABLED:
            from yiyun.payments.sandbox.gateway import run_due_work

            self.stdout.write(f"sandbox gateway: {run_due_work()}")
        self.stdout.write(f"payments sync: {sync_stale_payments()}")
