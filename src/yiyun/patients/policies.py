"""Who may see a patient's record. One rule, used by every selector and service (deny by default).

Today: the account that manages the 就诊人. Clinicians gain access through an active care relationship
(booking, consultation, referral) as those apps land; each adds its rule here, not in views.
"""

from __future__ import annotations

from yiyun.patients.models import Patient


def can_access(user, patient: Patient) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if patient.removed_at is not None:
        return False
    return patient.account_id == user.pk
