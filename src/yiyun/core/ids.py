"""Public identifiers. Rows keep integer keys inside the database; anything a patient sees in a URL
or an API answer is a random UUID (`external_id`), never guessable."""

import uuid

from django.db import models


def new_external_id() -> uuid.UUID:
    return uuid.uuid4()


class ExternalIdField(models.UUIDField):
    """A unique, random, non-editable public id."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", new_external_id)
        kwargs.setdefault("unique", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("verbose_name", "公开编号")
        super().__init__(*args, **kwargs)
