"""Gateway adapters, looked up by name from `settings.PAYMENTS_PROVIDERS` ({name: dotted class path})."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from yiyun.payments.errors import ProviderNotFound
from yiyun.payments.providers.base import PaymentProvider


def get_provider(name: str) -> PaymentProvider:
    path = settings.PAYMENTS_PROVIDERS.get(name)
    if not path:
        raise ProviderNotFound()
    provider = import_string(path)()
    if not provider.enabled():
        raise ProviderNotFound()
    return provider
