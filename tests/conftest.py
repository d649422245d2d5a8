"""Shared fixtures. Each test starts with an empty cache (rate limits) and an empty SMS outbox."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from yiyun.core import sms


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sms_outbox(settings):
    settings.SMS_SENDER = "yiyun.core.sms.MemorySmsSender"
    sms.get_sender.cache_clear()
    sender = sms.get_sender()
    yield sender.outbox
    sms.get_sender.cache_clear()


@pytest.fixture
def client():
    return Client()


def login_client(user) -> Client:
    c = Client()
    c.force_login(user, backend="yiyun.accounts.backends.PhonePasswordBackend")
    return c
