"""Reads for accounts: resolving API bearer tokens."""

from __future__ import annotations

import hashlib

from django.utils import timezone

from yiyun.accounts.models import ApiToken, User


def user_for_token(raw: str) -> User | None:
    if not raw:
        return None
    token = (ApiToken.objects.select_related("user")
             .filter(key_hash=hashlib.sha256(raw.encode()).hexdigest(), revoked_at__isnull=True,
                     expires_at__gt=timezone.now()).first())
    if token is None or not token.user.is_active:
        return None
    return token.user
