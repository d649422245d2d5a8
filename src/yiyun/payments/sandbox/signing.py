"""How the sandbox gateway signs what it sends (published to merchants, like a gateway's SDK):
HMAC-SHA256 with the merchant's key over "timestamp\\nnonce\\nbody\\n", hex, in three headers."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

HEADER_TIMESTAMP = "X-Sandbox-Timestamp"
HEADER_NONCE = "X-Sandbox-Nonce"
HEADER_SIGNATURE = "X-Sandbox-Signature"
_DEV_SECRET = "yiyun-sandbox-pay-development-merchant-key"  # noqa: S105


def merchant_key() -> bytes:
    """The shared merchant key (settings.PAYMENTS_SANDBOX_SECRET); a development key only where allowed."""
    secret = settings.PAYMENTS_SANDBOX_SECRET
    if not secret:
        if not settings.ALLOW_DEV_KEYS:
            raise ImproperlyConfigured("YIYUN_SANDBOX_PAY_SECRET is not set")
        secret = _DEV_SECRET
    return secret.encode()


def signature(*, key: bytes, timestamp: str, nonce: str, body: bytes) -> str:
    message = timestamp.encode() + b"\n" + nonce.encode() + b"\n" + body + b"\n"
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def verify(*, key: bytes, timestamp: str, nonce: str, body: bytes, given: str) -> bool:
    return hmac.compare_digest(signature(key=key, timestamp=timestamp, nonce=nonce, body=body), given or "")
