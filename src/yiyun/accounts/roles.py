"""Roles are Django groups with model permissions; this module says which group holds what.

Deny by default: a permission not listed here is not granted. Object-level rules (a patient sees only
their own 就诊人, an operator only their hospital) live in each app's selectors and admin.
"""

from __future__ import annotations

from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission

from yiyun.accounts.models import Role

_CATALOG_EDIT = [
    f"{action}_{model}"
    for model in ("hospital", "campus", "department", "doctor", "pharmacist", "nurse")
    for action in ("view", "add", "change")
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.PATIENT: [],
    Role.DOCTOR: ["catalog.view_hospital", "catalog.view_department", "catalog.view_doctor"],
    Role.PHARMACIST: ["catalog.view_hospital", "catalog.view_pharmacist"],
    Role.NURSE: ["catalog.view_hospital", "catalog.view_department", "catalog.view_nurse"],
    Role.OPERATOR: [f"catalog.{codename}" for codename in _CATALOG_EDIT]
    + ["catalog.view_standarddepartment", "audit.view_accesslog"]
    + [f"scheduling.{action}_{model}" for model in ("bookingpolicy", "visittype", "departmentbookinglimit",
                                                     "scheduletemplate") for action in ("view", "add", "change")]
    + ["scheduling.view_session", "scheduling.change_session", "booking.view_booking"]
    + [f"payments.view_{model}" for model in ("payment", "refund", "ledgerentry", "paymentnotification")],
    Role.PLATFORM_ADMIN: [],  # platform admins are superusers
}


def sync_roles() -> None:
    """Create each role's group and set exactly the permissions listed above (idempotent)."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.set(wanted)


def sync_roles_after_migrate(sender=None, **kwargs) -> None:
    """Connected to every app's post_migrate, but acts on the last one only: by then every app's permissions
    exist, and the work is done once per migrate or test flush instead of once per app."""
    with_models = [config for config in django_apps.get_app_configs() if config.models_module is not None]
    if sender is None or not with_models or sender.label == with_models[-1].label:
        sync_roles()


def grant_role(user, role: str) -> None:
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
