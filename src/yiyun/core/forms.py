"""Page input and domain errors on Django forms: a date from a query parameter; field errors under their field, the
rest at the top."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import get_language

from yiyun.core.errors import DomainError


def parse_date(raw: str | None) -> dt.date | None:
    """An ISO date from a query or form parameter ("2026-12-03"); None when absent or malformed."""
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def message_for(error: DomainError) -> str:
    return error.message_en if (get_language() or "").startswith("en") else error.message


def add_domain_error(form, error: DomainError) -> None:
    english = (get_language() or "").startswith("en")
    placed = False
    for name, text in error.fields.items():
        if name in form.fields:
            form.add_error(name, error.message_en if english else text)
            placed = True
    if not placed:
        form.add_error(None, message_for(error))
