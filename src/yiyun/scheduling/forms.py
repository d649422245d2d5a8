"""Operator forms: a hospital's booking and release rules and a weekly template (both shared with the back-office),
and 临时加诊. Field types come from the models, ranges and cross-field rules from the services' checks."""

from __future__ import annotations

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from yiyun.catalog.models import Campus, Department, Doctor, Hospital
from yiyun.core.errors import DomainError
from yiyun.core.forms import add_domain_error
from yiyun.scheduling import services
from yiyun.scheduling.models import BookingPolicy, Period, ScheduleTemplate, VisitType

RULE_GROUPS = (  # (heading, fields) as the operator page and the back-office show them
    (_("放号"), ("horizon_days", "release_time")),
    (_("预约限制"), ("one_per_doctor_per_day", "max_active_per_day", "max_active_per_week", "hold_minutes",
              "cancel_deadline_minutes", "waitlist_offer_minutes")),
    (_("爽约"), ("no_show_limit", "no_show_window_days", "suspension_days")),
    (_("签到与叫号"), ("checkin_opens_minutes", "late_grace_minutes", "missed_call_requeue_after", "max_missed_calls",
                "reminder_time")),
)


def _period_defaults(form) -> None:
    """An empty timetable form starts on a morning clinic with the usual morning hours."""
    if not form.is_bound:
        period = form.initial.setdefault("period", Period.MORNING)
        form.initial.setdefault("start_time", services.PERIOD_TIMES[period][0])
        form.initial.setdefault("end_time", services.PERIOD_TIMES[period][1])


class _ServiceCheckedForm(forms.ModelForm):
    """Runs the service's own check on the object the form would save, and shows its refusal on the form, so the
    page and the service can never disagree about what is allowed."""

    service_check = None  # a services.check_* function

    def clean(self):
        cleaned = super().clean()
        if self._errors:
            return cleaned
        candidate = copy.copy(self.instance)
        for name, value in cleaned.items():
            setattr(candidate, name, value)
        try:
            type(self).service_check(candidate)
        except DomainError as error:
            add_domain_error(self, error)
        return cleaned


class BookingPolicyForm(_ServiceCheckedForm):
    service_check = staticmethod(services.check_policy)

    class Meta:
        model = BookingPolicy
        fields = [name for _, names in RULE_GROUPS for name in names]
        widgets = {"release_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                   "reminder_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def groups(self):
        """The bound fields under their headings, for the template."""
        return [(heading, [self[name] for name in names]) for heading, names in RULE_GROUPS]


class ScheduleTemplateForm(_ServiceCheckedForm):
    """A new weekly template for one hospital: every choice limited to that hospital, rules from
    `services.check_template`."""

    service_check = staticmethod(services.check_template)

    class Meta:
        model = ScheduleTemplate
        fields = ["department", "doctor", "campus", "weekday", "period", "start_time", "end_time", "window_minutes",
                  "online_per_window", "onsite_per_window", "visit_type", "fee_fen", "valid_from", "valid_until"]
        widgets = {"start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                   "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                   "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, hospital: Hospital, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.hospital = hospital
        self.fields["department"].queryset = Department.objects.filter(hospital=hospital, is_active=True)
        self.fields["doctor"].queryset = Doctor.objects.filter(hospital=hospital, is_active=True).order_by("name")
        self.fields["campus"].queryset = Campus.objects.filter(hospital=hospital)
        self.fields["visit_type"].queryset = VisitType.objects.filter(hospital=hospital, is_active=True)
        _period_defaults(self)


class ScheduleTemplateAdminForm(_ServiceCheckedForm):
    """The back-office's template form: the same checks as the operator page, plus the hospital and 启用."""

    service_check = staticmethod(services.check_template)

    class Meta:
        model = ScheduleTemplate
        fields = ["hospital", *ScheduleTemplateForm.Meta.fields, "is_active"]


class AddSessionForm(forms.Form):
    """临时加诊 for one hospital; the rules are `services.add_session`'s, whose refusals land on these fields."""

    department = forms.ModelChoiceField(Department.objects.none(), label=_("出诊科室"))
    doctor = forms.ModelChoiceField(Doctor.objects.none(), label=_("医生"))
    campus = forms.ModelChoiceField(Campus.objects.none(), label=_("出诊院区"), required=False)
    date = forms.DateField(label=_("出诊日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    period = forms.ChoiceField(label=_("上午/下午/夜间"), choices=Period.choices)
    start_time = forms.TimeField(label=_("开始时间"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(label=_("结束时间"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    window_minutes = forms.IntegerField(label=_("分时段长度（分钟）"), initial=30)
    online_per_window = forms.IntegerField(label=_("每时段线上号数"), min_value=0, initial=4)
    onsite_per_window = forms.IntegerField(label=_("每时段现场号数"), min_value=0, initial=1)
    visit_type = forms.ModelChoiceField(VisitType.objects.none(), label=_("门诊类型"))
    fee_fen = forms.IntegerField(label=_("挂号费（分，留空用门诊类型默认）"), min_value=0, required=False)

    def __init__(self, *args, hospital: Hospital, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(hospital=hospital, is_active=True)
        self.fields["doctor"].queryset = Doctor.objects.filter(hospital=hospital, is_active=True).order_by("name")
        self.fields["campus"].queryset = Campus.objects.filter(hospital=hospital)
        self.fields["visit_type"].queryset = VisitType.objects.filter(hospital=hospital, is_active=True)
        _period_defaults(self)

    def values(self) -> dict:
        """The cleaned form as `services.add_session`'s keyword arguments."""
        data = dict(self.cleaned_data)
        data["day"], data["start"], data["end"] = data.pop("date"), data.pop("start_time"), data.pop("end_time")
        return data
