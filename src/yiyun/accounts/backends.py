"""Password login by mobile number (also used by the Django admin login form)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from yiyun.accounts.models import User, phone_lookup
from yiyun.core.errors import ValidationFailed


class PhonePasswordBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, phone=None, **kwargs):
        raw = phone or username
        if not raw or not password:
            return None
        try:
            key = phone_lookup(raw)
        except ValidationFailed:
            return None
        user = User.objects.filter(phone_hash=key).first()
        if user is None:
            User().set_password(password)  # same work as a real check: no timing hint that the number is unknown
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
