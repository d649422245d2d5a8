"""Append-only tables (the access log, the payments ledger): rows are inserted, never changed or deleted.
The ORM refuses here; on PostgreSQL each such table's migration adds a trigger that refuses too."""

from __future__ import annotations

from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError(f"{self.model._meta.db_table} is append-only")

    def delete(self):
        raise PermissionError(f"{self.model._meta.db_table} is append-only")


class AppendOnlyModel(models.Model):
    """Base for tables whose rows, once written, stay as written."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError(f"{self._meta.db_table} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(f"{self._meta.db_table} is append-only")
