import base64
import datetime as dt
import io
import os

import pytest
from cryptography.exceptions import InvalidTag
from django.core.management import call_command
from django.db import connection

from tests.factories import make_patient, make_user, valid_id_number
from yiyun.core import crypto
from yiyun.patients.models import Patient


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


@pytest.fixture
def keys(settings):
    """Real (non-development) keys for the duration of a test."""
    def configure(*field_keys: str, lookup: str | None = None):
        settings.FIELD_ENCRYPTION_KEYS = list(field_keys)
        settings.LOOKUP_HASH_KEY = lookup or settings.LOOKUP_HASH_KEY or _key()
        crypto.keyring.cache_clear()
    settings.LOOKUP_HASH_KEY = _key()
    yield configure
    crypto.keyring.cache_clear()


def test_round_trip_and_ciphertext_is_not_plaintext(keys):
    keys(f"k1:{_key()}")
    token = crypto.seal("11010519491231002X", context="patients.Patient.id_number")
    assert "11010519491231002X" not in token and token.startswith("enc1$k1$")
    assert crypto.open_sealed(token, context="patients.Patient.id_number") == "11010519491231002X"
    # Random nonce: the same value seals differently each time.
    assert crypto.seal("x", context="c") != crypto.seal("x", context="c")


def test_sealed_value_does_not_open_in_another_column(keys):
    keys(f"k1:{_key()}")
    token = crypto.seal("13812345678", context="patients.Patient.phone")
    with pytest.raises(InvalidTag):
        crypto.open_sealed(token, context="patients.Patient.id_number")


def test_lookup_hash_is_deterministic_keyed_and_purpose_bound(keys):
    keys(f"k1:{_key()}")
    a = crypto.lookup_hash("13812345678", purpose="phone")
    assert a == crypto.lookup_hash("13812345678", purpose="phone")
    assert a != crypto.lookup_hash("13812345678", purpose="resident-id")
    keys(f"k1:{_key()}", lookup=_key())
    assert a != crypto.lookup_hash("13812345678", purpose="phone")


@pytest.mark.django_db
def test_patient_columns_are_encrypted_at_rest_and_found_by_hash(keys):
    keys(f"k1:{_key()}")
    account = make_user()
    number = valid_id_number(dt.date(1980, 5, 6), "F")
    patient = make_patient(account, name="李梅", sex="F", birth=dt.date(1980, 5, 6), id_number=number,
                           phone="13912345678")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM patients_patient WHERE id = %s", [patient.pk])
        raw_id, raw_phone = cursor.fetchone()
    assert number not in raw_id and "13912345678" not in raw_phone
    assert raw_id.startswith("enc1$k1$")
    fresh = Patient.objects.get(pk=patient.pk)
    assert fresh.id_number == number and fresh.phone == "13912345678"
    found = Patient.objects.get(id_number_hash=crypto.lookup_hash(number, purpose="resident-id"))
    assert found.pk == patient.pk


@pytest.mark.django_db
def test_key_rotation_reseals_old_rows(keys):
    old, new = f"old:{_key()}", f"new:{_key()}"
    keys(old)
    account = make_user()
    patient = make_patient(account, phone="13912345678")
    keys(new, old)  # new key first, old still listed for reading
    assert Patient.objects.get(pk=patient.pk).phone == "13912345678"
    call_command("rotate_keys", stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM patients_patient WHERE id = %s", [patient.pk])
        assert all(value.startswith("enc1$new$") for value in cursor.fetchone())
    keys(new)  # the old key can now be dropped
    fresh = Patient.objects.get(pk=patient.pk)
    assert fresh.phone == "13912345678" and len(fresh.id_number) == 18


def test_production_refuses_to_run_without_keys(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    settings.LOOKUP_HASH_KEY = ""
    settings.ALLOW_DEV_KEYS = False
    crypto.keyring.cache_clear()
    try:
        with pytest.raises(crypto.ImproperlyConfigured):
            crypto.seal("x", context="c")
    finally:
        crypto.keyring.cache_clear()
