"""Template filters shared by every app's pages (money has its own library: `{% load money %}`)."""

from django import template
from django.utils import timezone

register = template.Library()
_WEEKDAYS = "一二三四五六日"


@register.filter
def weekday_cn(day) -> str:
    return f"周{_WEEKDAYS[day.weekday()]}" if day else ""


@register.filter
def local_hm(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M") if moment else ""


@register.filter
def isoformat(moment) -> str:
    return moment.isoformat() if moment else ""
