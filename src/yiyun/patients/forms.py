from django import forms
from django.utils.translation import gettext_lazy as _

from yiyun.catalog.models import Sex
from yiyun.patients.models import Relationship


class PatientForm(forms.Form):
    relationship = forms.ChoiceField(label=_("与本人关系"), choices=Relationship.choices)
    name = forms.CharField(label=_("真实姓名"), max_length=30)
    id_number = forms.CharField(label=_("身份证号"), max_length=18,
                                widget=forms.TextInput(attrs={"data-id-number": "1", "autocomplete": "off"}))
    sex = forms.ChoiceField(label=_("性别"), choices=[("", "—")] + list(Sex.choices))
    birth_date = forms.DateField(label=_("出生日期"), widget=forms.DateInput(attrs={"type": "date"}))
    phone = forms.CharField(label=_("手机号（选填）"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    allergies = forms.CharField(label=_("过敏史（选填）"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("如：青霉素、海鲜")}))
    chronic_conditions = forms.CharField(label=_("慢性病史（选填）"), required=False,
                                         widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("如：高血压、糖尿病")}))
    is_default = forms.BooleanField(label=_("设为默认就诊人"), required=False)


class PatientEditForm(forms.Form):
    relationship = forms.ChoiceField(label=_("与本人关系"), choices=Relationship.choices)
    phone = forms.CharField(label=_("新手机号（留空则不修改）"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    allergies = forms.CharField(label=_("过敏史"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    chronic_conditions = forms.CharField(label=_("慢性病史"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    is_default = forms.BooleanField(label=_("设为默认就诊人"), required=False)
