"""Showing domain errors on Django forms: field errors under their field, the rest at the top."""

from __future__ import annotations

from django.utils.translation import get_language

from yiyun.core.errors import DomainError


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
