"""A triage conversation: the engine's state (messages, answers, flags) and what it concluded.

Usable without an account: the random public id is then the only key to it. With an account and a chosen
就诊人, only that account may read it, and every read is in the access log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from yiyun.catalog.models import Hospital
from yiyun.core.ids import ExternalIdField
from yiyun.patients.models import Patient


class TriageSession(models.Model):
    class Status(models.TextChoices):
        ASKING = "asking", "追问中"
        DONE = "done", "已完成"

    external_id = ExternalIdField()
    account = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="账户", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="triage_sessions")
    patient = models.ForeignKey(Patient, verbose_name="就诊人", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="triage_sessions")
    hospital = models.ForeignKey(Hospital, verbose_name="医院", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    age = models.PositiveSmallIntegerField("年龄", null=True, blank=True)
    sex = models.CharField("性别", max_length=1, blank=True)
    pregnant = models.BooleanField("妊娠", null=True, blank=True)
    state = models.JSONField("对话状态", default=dict)
    transcript = models.JSONField("对话记录", default=list)  # [{"who": "patient"|"ai", "text": ...}]
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ASKING)
    care_level = models.CharField("分级", max_length=20, blank=True)
    intent = models.CharField("意图", max_length=20, blank=True)
    created_at = models.DateTimeField("开始时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        verbose_name = "导诊会话"
        verbose_name_plural = "导诊会话"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["care_level", "-created_at"])]

    def __str__(self) -> str:
        return f"导诊 {self.external_id} {self.care_level}"
