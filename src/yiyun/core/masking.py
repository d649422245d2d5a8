"""Masking of personal identifiers wherever they are shown or returned."""


def mask_id_number(value: str | None) -> str:
    """110101199003071234 -> 110101********1234 (region kept, birth date and sequence hidden)."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    """13812345678 -> 138****5678."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str | None) -> str:
    """张三 -> 张*, 欧阳娜娜 -> 欧***: for lists seen by people other than the patient (screens, logs)."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1) if len(value) > 1 else value


def mask_name_public(value: str | None) -> str:
    """王小明 -> 王*明, 张三 -> 张*, 欧阳娜娜 -> 欧**娜: first and last character kept, for public screens
    (候诊大屏) where a patient must recognise their own name and a stranger must not learn it."""
    if not value:
        return ""
    if len(value) <= 2:
        return value[0] + "*" * (len(value) - 1)
    return value[0] + "*" * (len(value) - 2) + value[-1]
