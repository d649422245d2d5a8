"""The queue of a doctor session (the lock every change takes, and how far the doctor has got), its
entries (one per checked-in booking, ordered by `sort_key`) and the trail of calls."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from yiyun.booking.models import Booking
from yiyun.core.ids import ExternalIdField
from yiyun.queue.states import EntryStatus
from yiyun.scheduling.models import Session, Window


class SessionQueue(models.Model):
    """One per session, made on the first check-in. Every queue change locks this row first."""

    session = models.OneToOneField(Session, verbose_name="出诊", on_delete=models.CASCADE, related_name="queue")
    current = models.ForeignKey("QueueEntry", verbose_name="正在叫号", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    serving_window = models.ForeignKey(Window, verbose_name="正在看诊的时段", null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+",
                                       help_text="已叫号患者中最晚的时段：迟到患者排在该时段按时患者之后")
    last_call_at = models.DateTimeField("最近叫号时间", null=True, blank=True)

    class Meta:
        verbose_name = "出诊队列"
        verbose_name_plural = "出诊队列"

    def __str__(self) -> str:
        return f"{self.session} 队列"


class QueueEntry(models.Model):
    external_id = ExternalIdField()
    session = models.ForeignKey(Session, verbose_name="出诊", on_delete=models.CASCADE, related_name="queue_entries")
    booking = models.OneToOneField(Booking, verbose_name="预约", on_delete=models.PROTECT, related_name="queue_entry")
    window = models.ForeignKey(Window, verbose_name="时段", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField("就诊序号")
    sort_key = models.BigIntegerField("排序键", help_text="小者先叫；按时患者为 序号×2^20，迟到与过号患者插在两号之间")
    status = models.CharField("状态", max_length=10, choices=EntryStatus.choices, default=EntryStatus.WAITING)
    late = models.BooleanField("迟到", default=False)
    missed_calls = models.PositiveSmallIntegerField("过号次数", default=0)
    checked_in_at = models.DateTimeField("签到时间", default=timezone.now)
    called_at = models.DateTimeField("叫号时间", null=True, blank=True)
    call_count = models.PositiveSmallIntegerField("本轮呼叫次数", default=0)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "候诊"
        verbose_name_plural = "候诊"
        ordering = ["session_id", "sort_key", "id"]
        indexes = [models.Index(fields=["session", "status", "sort_key"], name="queue_order_idx"),
                   models.Index(fields=["finished_at"], name="queue_finished_idx")]

    def __str__(self) -> str:
        return f"{self.session} #{self.number} {self.get_status_display()}"

    @property
    def visit_minutes(self) -> float | None:
        if self.called_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.called_at).total_seconds() / 60


class QueueEvent(models.Model):
    """Every check-in, call, recall, skip and finish: when, who, and the order key it left behind."""

    class Action(models.TextChoices):
        CHECK_IN = "check_in", "签到"
        CALL = "call", "叫号"
        RECALL = "recall", "重呼"
        SKIP = "skip", "过号"
        NO_SHOW = "no_show", "过号爽约"
        FINISH = "finish", "完成"
        LEFT = "left", "离队"

    entry = models.ForeignKey(QueueEntry, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=10, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    sort_key = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "叫号记录"
        verbose_name_plural = "叫号记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.action}"
