"""Pluggable SMS senders. settings.SMS_SENDER names the class; a production deployment plugs in its
carrier gateway (阿里云/腾讯云短信…) behind the same two-method interface."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

from yiyun.core.masking import mask_phone

logger = logging.getLogger("yiyun.sms")


class SmsSender:
    def send(self, *, phone: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleSmsSender(SmsSender):
    """Development sender: prints the message to the server console (never use in production)."""

    def send(self, *, phone: str, text: str) -> None:
        print(f"[短信 SMS → {mask_phone(phone)}] {text}", flush=True)  # noqa: T201


@dataclass
class SentMessage:
    phone: str
    text: str


@dataclass
class MemorySmsSender(SmsSender):
    """Test sender: keeps messages in `outbox`."""

    outbox: list[SentMessage] = field(default_factory=list)

    def send(self, *, phone: str, text: str) -> None:
        self.outbox.append(SentMessage(phone=phone, text=text))
        logger.info("sms queued to %s", mask_phone(phone))


@lru_cache(maxsize=1)
def get_sender() -> SmsSender:
    return import_string(settings.SMS_SENDER)()
