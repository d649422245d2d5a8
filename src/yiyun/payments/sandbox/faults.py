"""Fault injection for the sandbox gateway, from settings.PAYMENTS_SANDBOX_FAULTS
(env YIYUN_SANDBOX_PAY_FAULTS), e.g.
"duplicate=1,delay_seconds=30,reorder=1,drop_rate=0.2,refund_delay_seconds=60,fail_refunds=0":

- duplicate: extra copies of every notification, sent right after the first (same notice id)
- delay_seconds: hold every notification this long before the first attempt
- reorder: hold notifications for the due-work sweep, which then sends the newest first
- drop_rate: share of notifications never sent (0–1); only an active query finds out
- refund_delay_seconds: refunds stay PROCESSING this long before the gateway settles them
- fail_refunds: every refund ends ABNORMAL (e.g. the customer's card was cancelled)"""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Faults:
    duplicate: int = 0
    delay_seconds: int = 0
    reorder: bool = False
    drop_rate: float = 0.0
    refund_delay_seconds: int = 0
    fail_refunds: bool = False


def _coerce(kind, value):
    if kind is bool and isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return kind(value)


def current_faults() -> Faults:
    raw = dict(settings.PAYMENTS_SANDBOX_FAULTS or {})
    kinds = {f.name: {"int": int, "float": float, "bool": bool}[f.type] for f in fields(Faults)}
    unknown = set(raw) - set(kinds)
    if unknown:
        raise ImproperlyConfigured(f"unknown sandbox payment faults: {', '.join(sorted(unknown))}")
    return Faults(**{name: _coerce(kinds[name], value) for name, value in raw.items()})
