"""Numbers (号源), bookings, their transition log, waitlist entries and no-show suspensions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from yiyun.booking.states import ACTIVE, Status
from yiyun.catalog.models import Department, Doctor, Hospital
from yiyun.core.ids import ExternalIdField
from yiyun.patients.models import Patient
from yiyun.scheduling.models import Session, Window


class Channel(models.TextChoices):
    ONLINE = "online", "线上"
    ONSITE = "onsite", "现场"


class Ticket(models.Model):
    """One number of a session (就诊序号). Free while `booking` is empty; a cancelled number returns here."""

    session = models.ForeignKey(Session, verbose_name="出诊", on_delete=models.CASCADE, related_name="tickets")
    window = models.ForeignKey(Window, verbose_name="时段", on_delete=models.CASCADE, related_name="tickets")
    number = models.PositiveIntegerField("序号")
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    booking = models.OneToOneField("Booking", verbose_name="当前预约", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "号源"
        verbose_name_plural = "号源"
        ordering = ["session_id", "number"]
        constraints = [models.UniqueConstraint(fields=["session", "number"], name="ticket_unique_number")]
        indexes = [models.Index(fields=["window", "channel", "number"], condition=Q(booking__isnull=True),
                                name="ticket_free_idx")]

    def __str__(self) -> str:
        return f"{self.session} #{self.number}"


class Booking(models.Model):
    class Source(models.TextChoices):
        ONLINE = "online", "线上预约"
        WAITLIST = "waitlist", "候补"
        ONSITE = "onsite", "现场挂号"

    external_id = ExternalIdField()
    account = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="预约账户", on_delete=models.PROTECT,
                                related_name="bookings")
    patient = models.ForeignKey(Patient, verbose_name="就诊人", on_delete=models.PROTECT, related_name="bookings")
    hospital = models.ForeignKey(Hospital, verbose_name="医院", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, verbose_name="科室", on_delete=models.PROTECT, related_name="+")
    doctor = models.ForeignKey(Doctor, verbose_name="医生", on_delete=models.PROTECT, related_name="bookings")
    session = models.ForeignKey(Session, verbose_name="出诊", on_delete=models.PROTECT, related_name="bookings")
    window = models.ForeignKey(Window, verbose_name="时段", on_delete=models.PROTECT, related_name="bookings")
    visit_date = models.DateField("就诊日期")
    number = models.PositiveIntegerField("就诊序号")
    fee_fen = models.PositiveIntegerField("挂号费（分）")
    status = models.CharField("状态", max_length=12, choices=Status.choices)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.ONLINE)
    idempotency_key = models.CharField("幂等键", max_length=64, blank=True)
    payment_ref = models.CharField("支付单号", max_length=64, blank=True)
    created_at = models.DateTimeField("下单时间", default=timezone.now)
    hold_expires_at = models.DateTimeField("支付截止", null=True, blank=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    completed_at = models.DateTimeField("就诊完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "预约"
        verbose_name_plural = "预约"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "doctor", "visit_date"], condition=Q(status__in=ACTIVE),
                                    name="booking_one_per_doctor_day"),
            models.UniqueConstraint(fields=["account", "idempotency_key"], condition=~Q(idempotency_key=""),
                                    name="booking_idempotency"),
        ]
        indexes = [
            models.Index(fields=["patient", "visit_date"], name="booking_patient_day_idx"),
            models.Index(fields=["status", "hold_expires_at"], name="booking_hold_idx"),
            models.Index(fields=["session", "number"], name="booking_session_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.patient} {self.session} #{self.number} {self.get_status_display()}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE


class BookingEvent(models.Model):
    """Every transition of a booking: from, to, who, why (the booking's own audit trail)."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "预约变更记录"
        verbose_name_plural = "预约变更记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.booking_id}: {self.from_status}→{self.to_status}"

    @property
    def to_label(self) -> str:
        return Status(self.to_status).label if self.to_status in Status.values else self.to_status


class WaitlistEntry(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", "候补中"
        OFFERED = "offered", "已为您保留号源"
        BOOKED = "booked", "候补成功"
        EXPIRED = "expired", "未按时支付"
        CANCELLED = "cancelled", "已取消候补"
        CLOSED = "closed", "候补结束"

    external_id = ExternalIdField()
    window = models.ForeignKey(Window, verbose_name="时段", on_delete=models.CASCADE, related_name="waitlist")
    patient = models.ForeignKey(Patient, verbose_name="就诊人", on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="账户", on_delete=models.PROTECT,
                                related_name="+")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.WAITING)
    created_at = models.DateTimeField("加入时间", default=timezone.now)
    offered_at = models.DateTimeField("保留时间", null=True, blank=True)
    booking = models.OneToOneField(Booking, verbose_name="候补预约", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="waitlist_entry")

    class Meta:
        verbose_name = "候补"
        verbose_name_plural = "候补"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["window", "patient"], condition=Q(status__in=["waiting", "offered"]),
                                    name="waitlist_once_per_window"),
        ]

    def __str__(self) -> str:
        return f"{self.patient} 候补 {self.window}"


class Suspension(models.Model):
    """Online booking suspended for a real person (by ID-number hash, across accounts) after no-shows."""

    id_number_hash = models.CharField(max_length=64, db_index=True)
    hospital = models.ForeignKey(Hospital, verbose_name="医院", on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField("暂停至")
    reason = models.CharField("原因", max_length=200)

    class Meta:
        verbose_name = "预约暂停"
        verbose_name_plural = "预约暂停"

    def __str__(self) -> str:
        return f"暂停至 {self.ends_at:%Y-%m-%d}"
