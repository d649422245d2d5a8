"""The form for a hospital's booking and release rules, shared by the operator page and the back-office: the
field types come from the model, the ranges and cross-field rules from `services.check_policy`."""

from __future__ import annotations

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from yiyun.core.errors import DomainError
from yiyun.core.forms import add_domain_error
from yiyun.scheduling import services
from yiyun.scheduling.models import BookingPolicy

RULE_GROUPS = (  # (heading, fields) as the operator page and the back-office show them
    (_("放号"), ("horizon_days", "release_time")),
    (_("预约限制"), ("one_per_doctor_per_day", "max_active_per_day", "max_active_per_week", "hold_minutes",
              "cancel_deadline_minutes", "waitlist_offer_minutes")),
    (_("爽约"), ("no_show_limit", "no_show_window_days", "suspension_days")),
    (_("签到与叫号"), ("checkin_opens_minutes", "late_grace_minutes", "missed_call_requeue_after", "max_missed_calls",
                "reminder_time")),
)


class BookingPolicyForm(forms.ModelForm):
    class Meta:
        model = BookingPolicy
        fields = [name for _, names in RULE_GROUPS for name in names]
        widgets = {"release_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                   "reminder_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def clean(self):
        cleaned = super().clean()
        if self._errors:
            return cleaned
        candidate = copy.copy(self.instance)
        for name, value in cleaned.items():
            setattr(candidate, name, value)
        try:
            services.check_policy(candidate)
        except DomainError as error:
            add_domain_error(self, error)
        return cleaned

    def groups(self):
        """The bound fields under their headings, for the template."""
        return [(heading, [self[name] for name in names]) for heading, names in RULE_GROUPS]
