"""Queue-entry states and the allowed transitions, written once (the booking's own states are in
yiyun.booking.states and change only through yiyun.booking.services)."""

from django.db import models


class EntryStatus(models.TextChoices):
    WAITING = "waiting", "候诊中"
    CALLED = "called", "已叫号"
    DONE = "done", "已就诊"
    NO_SHOW = "no_show", "过号未到"
    LEFT = "left", "已离队"  # the booking left the checked-in state elsewhere (停诊, …)


TRANSITIONS: dict[str, frozenset[str]] = {
    EntryStatus.WAITING: frozenset({EntryStatus.CALLED, EntryStatus.LEFT}),
    # 完成 → done; 过号 → waiting again (requeued) or no_show after the hospital's limit.
    EntryStatus.CALLED: frozenset({EntryStatus.DONE, EntryStatus.WAITING, EntryStatus.NO_SHOW, EntryStatus.LEFT}),
    EntryStatus.DONE: frozenset(),
    EntryStatus.NO_SHOW: frozenset(),
    EntryStatus.LEFT: frozenset(),
}


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())
