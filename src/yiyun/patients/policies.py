"""Who may see a patient's record. One rule, used by every selector and service (deny by default).

- The account that manages the 就诊人.
- A doctor with an active care relationship may *read* the record (never change or remove it): the
  patient has a booking in a session the doctor runs today that is confirmed, checked in, or completed
  today (so the doctor can finish the visit's notes the same day). It ends with the day; consultation
  and referral add their rules here.
"""

from __future__ import annotations

from django.utils import timezone

from yiyun.patients.models import Patient

READ_ACTIONS = frozenset({"view", "list"})


def can_access(user, patient: Patient, *, action: str = "view") -> bool:
    """`action` is the access-log action: view/list are reads; anything else manages the record."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if patient.removed_at is not None:
        return False
    if patient.account_id == user.pk:
        return True
    return action in READ_ACTIONS and _in_doctors_care_today(user, patient)


def _in_doctors_care_today(user, patient: Patient) -> bool:
    from yiyun.booking.models import Booking
    from yiyun.booking.states import Status
    from yiyun.catalog.models import Doctor

    doctor_id = Doctor.objects.filter(user=user, is_active=True).values_list("pk", flat=True).first()
    if doctor_id is None:
        return False
    return Booking.objects.filter(
        patient=patient, session__doctor_id=doctor_id, visit_date=timezone.localdate(),
        status__in=[Status.CONFIRMED, Status.CHECKED_IN, Status.COMPLETED]).exists()
