"""Field-level encryption at rest and keyed hashes for exact-match look-ups.

- Values are sealed with AES-256-GCM under the first key of ``settings.FIELD_ENCRYPTION_KEYS``
  ("key_id:base64key", comma-separated in YIYUN_FIELD_KEYS); every listed key can still open old values,
  so a key is rotated by putting a new one first and running ``yiyun rotate-keys``.
- The field's identity ("app.Model.field") is bound in as associated data, so a sealed value copied
  into another column does not open.
- Look-ups use HMAC-SHA256 under ``settings.LOOKUP_HASH_KEY`` over a normalised value: equal inputs give
  equal hashes, and the hash reveals nothing without the key.

Without configured keys, development, tests and the demo use fixed development keys; anything else
refuses to start encrypting (ImproperlyConfigured).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

TOKEN_PREFIX = "enc1"  # noqa: S105 - a format marker, not a secret
_NONCE_BYTES = 12


@dataclass(frozen=True)
class KeyRing:
    primary_id: str
    keys: dict[str, bytes]
    lookup_key: bytes


def _dev_key(label: str) -> bytes:
    return hashlib.sha256(f"yiyun-development-only:{label}".encode()).digest()


def _decode_key(raw: str, what: str) -> bytes:
    try:
        key = base64.b64decode(raw.strip(), validate=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{what} is not valid base64") from exc
    if len(key) != 32:
        raise ImproperlyConfigured(f"{what} must be 32 bytes (base64 of 32 random bytes)")
    return key


@lru_cache(maxsize=1)
def keyring() -> KeyRing:
    entries = list(settings.FIELD_ENCRYPTION_KEYS)
    lookup_raw = settings.LOOKUP_HASH_KEY
    if (not entries or not lookup_raw) and not settings.ALLOW_DEV_KEYS:
        raise ImproperlyConfigured(
            "Set YIYUN_FIELD_KEYS and YIYUN_LOOKUP_KEY (run `yiyun generate-keys`) before storing personal data."
        )
    keys: dict[str, bytes] = {}
    for entry in entries:
        key_id, sep, raw = entry.partition(":")
        if not sep or not key_id.isalnum():
            raise ImproperlyConfigured("YIYUN_FIELD_KEYS entries look like 'k1:<base64 of 32 bytes>'")
        keys[key_id] = _decode_key(raw, f"field key {key_id}")
    if not keys:
        keys["dev"] = _dev_key("field")
    primary_id = next(iter(keys))
    lookup_key = _decode_key(lookup_raw, "YIYUN_LOOKUP_KEY") if lookup_raw else _dev_key("lookup")
    return KeyRing(primary_id=primary_id, keys=keys, lookup_key=lookup_key)


def generate_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def seal(plaintext: str, *, context: str) -> str:
    ring = keyring()
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(ring.keys[ring.primary_id]).encrypt(nonce, plaintext.encode(), context.encode())
    body = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
    return f"{TOKEN_PREFIX}${ring.primary_id}${body}"


def key_id_of(token: str) -> str | None:
    parts = token.split("$")
    return parts[1] if len(parts) == 3 and parts[0] == TOKEN_PREFIX else None


def open_sealed(token: str, *, context: str) -> str:
    parts = token.split("$")
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        raise ValueError("not an encrypted value")
    _, key_id, body = parts
    key = keyring().keys.get(key_id)
    if key is None:
        raise ImproperlyConfigured(f"encryption key {key_id!r} is not configured; it is needed to read old values")
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    return AESGCM(key).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], context.encode()).decode()


def lookup_hash(value: str, *, purpose: str) -> str:
    """Keyed hash of a normalised value; `purpose` separates e.g. ID numbers from phone numbers."""
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(keyring().lookup_key, message, hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column stored sealed; Python code sees the plain value. It cannot be filtered on:
    pair it with a look-up hash column when exact-match search is needed."""

    description = "Encrypted text"

    def context(self) -> str:
        return f"{self.model._meta.label}.{self.name}"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return open_sealed(value, context=self.context())

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return seal(value, context=self.context())
