"""Validation of Chinese personal identifiers: resident ID numbers (GB 11643-1999) and mobile numbers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from yiyun.core.errors import ValidationFailed

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
# Province-level codes of GB/T 2260 (first two digits of the region code).
_PROVINCES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82", "83",
}
_PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: dt.date
    sex: str  # "M" or "F" (GB 11643: the 17th digit is odd for men)


def id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def normalize_id_number(raw: str) -> str:
    return (raw or "").strip().replace(" ", "").upper()


def parse_resident_id(raw: str, *, today: dt.date | None = None) -> ResidentId:
    """Validate an 18-digit mainland resident ID number and read its birth date and sex."""
    number = normalize_id_number(raw)
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValidationFailed.field(
            "id_number", "身份证号应为18位，最后一位可以是X", "The ID number must have 18 characters (the last may be X)",
            code="id_number_format",
        )
    if number[:2] not in _PROVINCES:
        raise ValidationFailed.field(
            "id_number", "身份证号的地区码无效", "The ID number's region code is not valid", code="id_number_region"
        )
    if id_check_char(number[:17]) != number[17]:
        raise ValidationFailed.field(
            "id_number", "身份证号校验位不正确，请核对", "The ID number's check digit is wrong", code="id_number_checksum"
        )
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise ValidationFailed.field(
            "id_number", "身份证号中的出生日期无效", "The birth date in the ID number is not a valid date",
            code="id_number_birth_date",
        ) from exc
    today = today or dt.date.today()
    if birth > today or birth.year < 1900:
        raise ValidationFailed.field(
            "id_number", "身份证号中的出生日期无效", "The birth date in the ID number is not plausible",
            code="id_number_birth_date",
        )
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return ResidentId(number=number, birth_date=birth, sex=sex)


def check_id_matches(resident_id: ResidentId, *, birth_date: dt.date | None, sex: str | None) -> None:
    """The birth date and sex entered must agree with the ID number."""
    if birth_date is not None and birth_date != resident_id.birth_date:
        raise ValidationFailed.field(
            "birth_date", "出生日期与身份证号不一致", "The birth date does not match the ID number",
            code="birth_date_mismatch",
        )
    if sex is not None and sex != resident_id.sex:
        raise ValidationFailed.field(
            "sex", "性别与身份证号不一致", "The sex does not match the ID number", code="sex_mismatch"
        )


def normalize_phone(raw: str) -> str:
    phone = re.sub(r"[\s-]", "", raw or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    elif phone.startswith("0086"):
        phone = phone[4:]
    if not _PHONE_RE.match(phone):
        raise ValidationFailed.field(
            "phone", "请输入正确的11位中国大陆手机号", "Enter a valid 11-digit mainland China mobile number",
            code="phone_format",
        )
    return phone
