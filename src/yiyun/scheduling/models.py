"""Timetable models. Rules that hospitals set differently (horizon, release time, limits, fees) are rows
here, read by the booking engine; nothing about them is hard-coded."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone

from yiyun.catalog.models import Campus, Department, Doctor, Hospital, Sex
from yiyun.core.ids import ExternalIdField


class Period(models.TextChoices):
    MORNING = "am", "上午"
    AFTERNOON = "pm", "下午"
    EVENING = "eve", "夜间"


class BookingPolicy(models.Model):
    """One hospital's booking rules (预约规则) and release rule (放号规则)."""

    hospital = models.OneToOneField(Hospital, verbose_name="医院", on_delete=models.CASCADE,
                                    related_name="booking_policy")
    horizon_days = models.PositiveSmallIntegerField("预约周期（天）", default=7)
    release_time = models.TimeField("每日放号时间", default=dt.time(7, 0),
                                    help_text="第D天的号在D减预约周期天的此刻放出")
    hold_minutes = models.PositiveSmallIntegerField("待支付保留（分钟）", default=15)
    cancel_deadline_minutes = models.PositiveIntegerField("就诊前多久停止退号（分钟）", default=120)
    one_per_doctor_per_day = models.BooleanField("同一就诊人同一医生每天限一个号", default=True)
    max_active_per_day = models.PositiveSmallIntegerField("每人每天最多有效预约", default=2)
    max_active_per_week = models.PositiveSmallIntegerField("每人每周最多有效预约", default=5)
    no_show_limit = models.PositiveSmallIntegerField("爽约次数上限", default=3)
    no_show_window_days = models.PositiveSmallIntegerField("爽约统计周期（天）", default=90)
    suspension_days = models.PositiveSmallIntegerField("爽约后暂停线上预约（天）", default=90)
    waitlist_offer_minutes = models.PositiveSmallIntegerField("候补成功后支付时限（分钟）", default=30)
    checkin_opens_minutes = models.PositiveSmallIntegerField("时段开始前多久可签到（分钟）", default=60)
    late_grace_minutes = models.PositiveSmallIntegerField("时段结束后仍可签到（分钟，算迟到）", default=30)
    missed_call_requeue_after = models.PositiveSmallIntegerField("过号后排在几位之后", default=3)
    max_missed_calls = models.PositiveSmallIntegerField("过号几次视为爽约", default=2)
    reminder_time = models.TimeField("就诊前一天提醒时间", default=dt.time(18, 0))

    class Meta:
        verbose_name = "预约与放号规则"
        verbose_name_plural = "预约与放号规则"

    def __str__(self) -> str:
        return f"{self.hospital} 预约规则"


class DepartmentBookingLimit(models.Model):
    """Who may book in a department (儿科: under 14; 妇科/产科: women)."""

    department = models.OneToOneField(Department, verbose_name="科室", on_delete=models.CASCADE,
                                      related_name="booking_limit")
    min_age = models.PositiveSmallIntegerField("最小年龄（岁）", null=True, blank=True)
    max_age = models.PositiveSmallIntegerField("最大年龄（岁，不含）", null=True, blank=True)
    sex = models.CharField("限定性别", max_length=1, choices=Sex.choices, blank=True)

    class Meta:
        verbose_name = "科室预约限制"
        verbose_name_plural = "科室预约限制"

    def __str__(self) -> str:
        return f"{self.department} 限制"


class VisitType(models.Model):
    class Code(models.TextChoices):
        GENERAL = "general", "普通门诊"
        EXPERT = "expert", "专家门诊"
        SPECIAL = "special", "特需门诊"
        CONVENIENCE = "convenience", "便民门诊"

    hospital = models.ForeignKey(Hospital, verbose_name="医院", on_delete=models.CASCADE, related_name="visit_types")
    code = models.CharField("类型", max_length=20, choices=Code.choices)
    name = models.CharField("名称", max_length=30)
    fee_fen = models.PositiveIntegerField("挂号费（分）")
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "门诊类型"
        verbose_name_plural = "门诊类型"
        constraints = [models.UniqueConstraint(fields=["hospital", "code"], name="visittype_unique_code")]

    def __str__(self) -> str:
        return f"{self.name}（{self.fee_fen / 100:.2f}元）"


class ScheduleTemplate(models.Model):
    """A weekly 排班: every <weekday> the doctor sees patients in <department> during <period>."""

    hospital = models.ForeignKey(Hospital, verbose_name="医院", on_delete=models.CASCADE, related_name="+")
    doctor = models.ForeignKey(Doctor, verbose_name="医生", on_delete=models.CASCADE, related_name="schedule_templates")
    department = models.ForeignKey(Department, verbose_name="科室", on_delete=models.CASCADE, related_name="+")
    campus = models.ForeignKey(Campus, verbose_name="院区", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    weekday = models.PositiveSmallIntegerField("星期", choices=[(i, f"星期{'一二三四五六日'[i]}") for i in range(7)])
    period = models.CharField("时段", max_length=3, choices=Period.choices)
    start_time = models.TimeField("开始时间")
    end_time = models.TimeField("结束时间")
    window_minutes = models.PositiveSmallIntegerField("分时段长度（分钟）", default=30)
    online_per_window = models.PositiveSmallIntegerField("每时段线上号数", default=4)
    onsite_per_window = models.PositiveSmallIntegerField("每时段现场号数", default=1)
    visit_type = models.ForeignKey(VisitType, verbose_name="门诊类型", on_delete=models.PROTECT, related_name="+")
    fee_fen = models.PositiveIntegerField("挂号费（分，留空用门诊类型默认）", null=True, blank=True)
    valid_from = models.DateField("生效日期", default=timezone.localdate)
    valid_until = models.DateField("失效日期", null=True, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "排班模板"
        verbose_name_plural = "排班模板"
        ordering = ["doctor_id", "weekday", "start_time"]
        constraints = [
            models.UniqueConstraint(fields=["doctor", "weekday", "period"], condition=Q(is_active=True),
                                    name="template_one_per_doctor_slot"),
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="template_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.doctor} {self.get_weekday_display()}{self.get_period_display()}"

    def effective_fee(self) -> int:
        return self.fee_fen if self.fee_fen is not None else self.visit_type.fee_fen


class Session(models.Model):
    """One doctor's clinic on one date and period (出诊). Its windows hold the numbers (号源)."""

    class Status(models.TextChoices):
        OPEN = "open", "正常出诊"
        STOPPED = "stopped", "停诊"

    external_id = ExternalIdField()
    hospital = models.ForeignKey(Hospital, verbose_name="医院", on_delete=models.CASCADE, related_name="+")
    doctor = models.ForeignKey(Doctor, verbose_name="出诊医生", on_delete=models.PROTECT, related_name="sessions")
    original_doctor = models.ForeignKey(Doctor, verbose_name="原排班医生（替诊时）", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, verbose_name="科室", on_delete=models.PROTECT, related_name="sessions")
    campus = models.ForeignKey(Campus, verbose_name="院区", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    template = models.ForeignKey(ScheduleTemplate, verbose_name="来源模板", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="sessions")
    date = models.DateField("出诊日期")
    period = models.CharField("时段", max_length=3, choices=Period.choices)
    starts_at = models.DateTimeField("开始")
    ends_at = models.DateTimeField("结束")
    release_at = models.DateTimeField("放号时间")
    visit_type = models.ForeignKey(VisitType, verbose_name="门诊类型", on_delete=models.PROTECT, related_name="+")
    fee_fen = models.PositiveIntegerField("挂号费（分）")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    change_reason = models.CharField("停诊/替诊原因", max_length=200, blank=True)
    changed_at = models.DateTimeField("变更时间", null=True, blank=True)

    class Meta:
        verbose_name = "出诊"
        verbose_name_plural = "出诊"
        ordering = ["starts_at", "id"]
        constraints = [models.UniqueConstraint(fields=["doctor", "date", "period"], name="session_one_per_doctor")]
        indexes = [models.Index(fields=["department", "date"]), models.Index(fields=["date", "status"])]

    def __str__(self) -> str:
        return f"{self.doctor} {self.date} {self.get_period_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Window(models.Model):
    """A time window of a session (分时段, e.g. 08:30–09:00) with its places; numbers are session-wide."""

    external_id = ExternalIdField()
    session = models.ForeignKey(Session, verbose_name="出诊", on_delete=models.CASCADE, related_name="windows")
    starts_at = models.DateTimeField("开始")
    ends_at = models.DateTimeField("结束")
    online_capacity = models.PositiveSmallIntegerField("线上号数")
    onsite_capacity = models.PositiveSmallIntegerField("现场号数", default=0)
    first_number = models.PositiveIntegerField("起始序号")

    class Meta:
        verbose_name = "分时段"
        verbose_name_plural = "分时段"
        ordering = ["starts_at", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "starts_at"], name="window_unique_start")]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        end = timezone.localtime(self.ends_at)
        return f"{local:%m-%d %H:%M}–{end:%H:%M}"

    @property
    def capacity(self) -> int:
        return self.online_capacity + self.onsite_capacity
