"""Reading the access log: a patient's own history, and the back-office search."""

from __future__ import annotations

from django.db.models import QuerySet

from yiyun.audit.models import AccessLog


def access_history_for_account(*, user, others_only: bool = False) -> QuerySet[AccessLog]:
    """Who looked at the records of the patients this account manages (newest first)."""
    rows = AccessLog.objects.filter(patient__account=user).select_related("patient")
    if others_only:
        rows = rows.exclude(actor=user)
    return rows
