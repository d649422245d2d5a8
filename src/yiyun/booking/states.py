"""Booking states and the allowed transitions, written once."""

from django.db import models


class Status(models.TextChoices):
    HELD = "held", "待支付"
    CONFIRMED = "confirmed", "已预约"
    CHECKED_IN = "checked_in", "已签到"
    COMPLETED = "completed", "已就诊"
    CANCELLED = "cancelled", "已取消"
    STOPPED = "stopped", "停诊取消"
    EXPIRED = "expired", "超时未支付"
    NO_SHOW = "no_show", "爽约"


ACTIVE = (Status.HELD, Status.CONFIRMED, Status.CHECKED_IN)

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.HELD: frozenset({Status.CONFIRMED, Status.EXPIRED, Status.CANCELLED, Status.STOPPED}),
    Status.CONFIRMED: frozenset({Status.CHECKED_IN, Status.CANCELLED, Status.STOPPED, Status.NO_SHOW}),
    Status.CHECKED_IN: frozenset({Status.COMPLETED, Status.NO_SHOW, Status.STOPPED}),
    Status.COMPLETED: frozenset(),
    Status.CANCELLED: frozenset(),
    Status.STOPPED: frozenset(),
    Status.EXPIRED: frozenset(),
    Status.NO_SHOW: frozenset(),
}


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())
