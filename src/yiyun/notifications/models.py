"""An inbox message for an account, optionally also sent by SMS."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from yiyun.core.ids import ExternalIdField


class Kind(models.TextChoices):
    BOOKING_HELD = "booking_held", "待支付"
    BOOKING_CONFIRMED = "booking_confirmed", "预约成功"
    BOOKING_CANCELLED = "booking_cancelled", "预约取消"
    BOOKING_EXPIRED = "booking_expired", "预约超时"
    SESSION_STOPPED = "session_stopped", "停诊通知"
    SESSION_SUBSTITUTED = "session_substituted", "替诊通知"
    WAITLIST_OFFER = "waitlist_offer", "候补成功"
    REMINDER = "reminder", "就诊提醒"
    QUEUE_NEAR = "queue_near", "即将叫号"
    REFUND = "refund", "退款"
    GENERAL = "general", "通知"


class Notification(models.Model):
    external_id = ExternalIdField()
    account = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="账户", on_delete=models.CASCADE,
                                related_name="notifications")
    kind = models.CharField("类型", max_length=24, choices=Kind.choices)
    title = models.CharField("标题", max_length=60)
    body = models.TextField("内容")
    link = models.CharField("链接", max_length=200, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    sms_text = models.CharField("短信内容", max_length=200, blank=True)
    sms_sent_at = models.DateTimeField("短信发送时间", null=True, blank=True)
    dedupe_key = models.CharField("去重键", max_length=80, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account", "-created_at"])]

    def __str__(self) -> str:
        return self.title
