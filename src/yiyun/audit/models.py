"""The access log. Rows are only ever inserted: the ORM refuses updates and deletes (yiyun.core.appendonly),
and on PostgreSQL a trigger refuses them too (migration 0002)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from yiyun.core.appendonly import AppendOnlyModel


class AccessLog(AppendOnlyModel):
    class Action(models.TextChoices):
        VIEW = "view", "查看"
        LIST = "list", "列表查看"
        CREATE = "create", "新建"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"
        EXPORT = "export", "导出"

    class Outcome(models.TextChoices):
        ALLOWED = "allowed", "允许"
        DENIED = "denied", "拒绝"

    class Channel(models.TextChoices):
        PAGE = "page", "页面"
        API = "api", "接口"
        ADMIN = "admin", "后台"
        SYSTEM = "system", "系统"

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="访问者", null=True, blank=True,
                              on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    actor_role = models.CharField("角色", max_length=20, blank=True)
    actor_label = models.CharField("访问者名称", max_length=80, blank=True)
    patient = models.ForeignKey("patients.Patient", verbose_name="就诊人", null=True, blank=True,
                                on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    hospital = models.ForeignKey("catalog.Hospital", verbose_name="医院", null=True, blank=True,
                                 on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    record_type = models.CharField("记录类型", max_length=40, default="patient")
    record_id = models.CharField("记录编号", max_length=64, blank=True)
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices, default=Outcome.ALLOWED)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices, default=Channel.PAGE)
    ip = models.CharField("来源IP", max_length=45, blank=True)
    user_agent = models.CharField("客户端", max_length=200, blank=True)
    path = models.CharField("路径", max_length=200, blank=True)

    class Meta:
        verbose_name = "访问日志"
        verbose_name_plural = "访问日志"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["patient", "-at"]), models.Index(fields=["actor", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.record_type}"
