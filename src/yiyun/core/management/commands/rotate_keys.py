"""Re-seal every encrypted column under the current primary key (the first of YIYUN_FIELD_KEYS).
Put the new key first, keep the old ones listed, run this, then drop the old keys."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from yiyun.core.crypto import EncryptedTextField, key_id_of, keyring


class Command(BaseCommand):
    help = "Re-encrypt values sealed under an older field key."

    def handle(self, *args, **options):
        primary = keyring().primary_id
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT id, {columns} FROM {table}")  # noqa: S608 - names from the model
                stale = [row[0] for row in cursor.fetchall()
                         if any(value and key_id_of(value) != primary for value in row[1:])]
            for pk in stale:
                with transaction.atomic():
                    obj = model.objects.select_for_update().get(pk=pk)
                    obj.save(update_fields=[f.name for f in fields])
            total += len(stale)
            self.stdout.write(f"{model._meta.label}: {len(stale)} row(s) re-sealed")
        self.stdout.write(f"done: {total} row(s) now under key {primary!r}")
