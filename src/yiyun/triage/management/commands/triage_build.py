"""`yiyun triage-build`: rebuild every derived triage artefact (lexicons, condition tables, dialog
models, the intent model) from the shared sources and the curated files in the repository."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Rebuild the triage knowledge base and models from their sources (reproducible)."

    def handle(self, *args, **options):
        from yiyun.triage import build, intent_build

        if build.main([]) != 0:
            raise CommandError("knowledge-base build failed (is YIYUN_SHARED_DIR set?)")
        if intent_build.main([]) != 0:
            raise CommandError("intent model build failed")
