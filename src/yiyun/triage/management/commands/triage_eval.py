"""`yiyun triage-eval`: run every triage suite, write the table into docs/benchmarks.md and end with one
JSON line of the figures (shared data from YIYUN_SHARED_DIR, default ../shared)."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Evaluate smart triage on every suite and record the figures in docs/benchmarks.md."

    def handle(self, *args, **options):
        from yiyun.triage.evaluation.__main__ import main

        if main() != 0:
            raise CommandError("triage evaluation failed")
