import datetime as dt

import pytest

from yiyun.core.errors import ValidationFailed
from yiyun.core.validators import check_id_matches, id_check_char, normalize_phone, parse_resident_id

# The worked example of GB 11643-1999 (Annex): 11010519491231002 → check character X.
STANDARD_EXAMPLE = "11010519491231002X"


def test_check_character_of_the_standard_example():
    assert id_check_char("11010519491231002") == "X"
    parsed = parse_resident_id(STANDARD_EXAMPLE.lower())
    assert parsed.number == STANDARD_EXAMPLE
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.sex == "F"  # 17th digit 2 is even


@pytest.mark.parametrize("last", [c for c in "0123456789X" if c != "X"])
def test_every_wrong_check_character_is_refused(last):
    with pytest.raises(ValidationFailed) as err:
        parse_resident_id(STANDARD_EXAMPLE[:17] + last)
    assert err.value.code == "id_number_checksum"
    assert "id_number" in err.value.fields


@pytest.mark.parametrize("raw,code", [
    ("1101051949123100", "id_number_format"),          # 16 characters
    ("11010519491231002XX", "id_number_format"),       # 19
    ("1101051949123100AX", "id_number_format"),        # a letter in the body
    ("990105194912310029", "id_number_region"),        # no province 99
])
def test_malformed_numbers(raw, code):
    with pytest.raises(ValidationFailed) as err:
        parse_resident_id(raw)
    assert err.value.code == code


def test_impossible_birth_date_is_refused():
    first17 = "11010519490231002"  # 31 February
    with pytest.raises(ValidationFailed) as err:
        parse_resident_id(first17 + id_check_char(first17))
    assert err.value.code == "id_number_birth_date"


def test_future_birth_date_is_refused():
    first17 = "11010520990101001"
    with pytest.raises(ValidationFailed) as err:
        parse_resident_id(first17 + id_check_char(first17), today=dt.date(2026, 11, 23))
    assert err.value.code == "id_number_birth_date"


def test_birth_date_and_sex_must_agree_with_the_number():
    parsed = parse_resident_id(STANDARD_EXAMPLE)
    check_id_matches(parsed, birth_date=dt.date(1949, 12, 31), sex="F")
    with pytest.raises(ValidationFailed) as err:
        check_id_matches(parsed, birth_date=dt.date(1949, 12, 30), sex="F")
    assert err.value.code == "birth_date_mismatch" and "birth_date" in err.value.fields
    with pytest.raises(ValidationFailed) as err:
        check_id_matches(parsed, birth_date=dt.date(1949, 12, 31), sex="M")
    assert err.value.code == "sex_mismatch" and "sex" in err.value.fields


@pytest.mark.parametrize("raw,expected", [
    ("13812345678", "13812345678"), ("+86 138-1234-5678", "13812345678"), ("008613812345678", "13812345678"),
])
def test_phone_normalisation(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12812345678", "1381234567", "138123456789", "abc", ""])
def test_invalid_phones(raw):
    with pytest.raises(ValidationFailed) as err:
        normalize_phone(raw)
    assert err.value.fields == {"phone": err.value.fields["phone"]}
