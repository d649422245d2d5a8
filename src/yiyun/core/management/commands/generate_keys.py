from django.core.management.base import BaseCommand

from yiyun.core.crypto import generate_key


class Command(BaseCommand):
    help = "Print fresh keys for YIYUN_SECRET_KEY, YIYUN_FIELD_KEYS and YIYUN_LOOKUP_KEY (keep them secret)."

    def handle(self, *args, **options):
        import secrets

        self.stdout.write(f"YIYUN_SECRET_KEY={secrets.token_urlsafe(50)}")
        self.stdout.write(f"YIYUN_FIELD_KEYS=k1:{generate_key()}")
        self.stdout.write(f"YIYUN_LOOKUP_KEY={generate_key()}")
