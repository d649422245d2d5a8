"""`{% load money %}{{ payment.amount_fen|yuan }}` → ¥123.45."""

from django import template

from yiyun.core.money import format_yuan

register = template.Library()


@register.filter(name="yuan")
def yuan_filter(fen) -> str:
    if fen in (None, ""):
        return ""
    return format_yuan(int(fen))
