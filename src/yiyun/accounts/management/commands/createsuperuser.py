"""Create a platform administrator, asking for the mobile number (Django's own command would ask for
the look-up hash that serves as the username field)."""

import getpass
import os

from django.core.management.base import BaseCommand, CommandError

from yiyun.accounts.models import Role, User, phone_lookup
from yiyun.accounts.roles import grant_role
from yiyun.core.errors import ValidationFailed
from yiyun.core.validators import normalize_phone


class Command(BaseCommand):
    help = "Create a platform administrator (superuser) who logs in with a mobile number."

    def add_arguments(self, parser):
        parser.add_argument("--phone")
        parser.add_argument("--name", default="平台管理员")
        parser.add_argument("--noinput", "--no-input", action="store_true",
                            help="take the password from DJANGO_SUPERUSER_PASSWORD")

    def handle(self, *args, phone=None, name="", noinput=False, **options):
        phone = phone or (None if noinput else input("手机号 Mobile number: "))
        try:
            phone = normalize_phone(phone or "")
        except ValidationFailed as exc:
            raise CommandError(exc.message_en) from exc
        if User.objects.filter(phone_hash=phone_lookup(phone)).exists():
            raise CommandError("This mobile number is already registered")
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD") if noinput else getpass.getpass("密码 Password: ")
        if not password:
            raise CommandError("A password is required")
        user = User.objects.create_superuser(phone, password, display_name=name)
        grant_role(user, Role.PLATFORM_ADMIN)
        self.stdout.write(f"Created platform administrator {user.masked_phone}")
