"""Payments, refunds, the notifications received from gateways, and the double-entry ledger.

Money is integer fen. A payment's `captured_fen` / `refunded_fen` are running totals kept in step with the
ledger in the same transaction; `reconcile` checks that they, the ledger and the gateway's statement agree."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from yiyun.core.appendonly import AppendOnlyModel
from yiyun.core.ids import ExternalIdField
from yiyun.payments.states import OPEN_STATUSES, PaymentStatus, RefundStatus


def new_trade_no() -> str:
    """Our order number at the gateway (商户订单号): date for people, 80 random bits for uniqueness."""
    return f"P{timezone.localdate():%Y%m%d}{secrets.token_hex(10)}"


def new_refund_no() -> str:
    return f"R{timezone.localdate():%Y%m%d}{secrets.token_hex(10)}"


class Payment(models.Model):
    external_id = ExternalIdField()
    out_trade_no = models.CharField("商户订单号", max_length=32, unique=True, default=new_trade_no, editable=False)
    provider = models.CharField("支付渠道", max_length=20)
    provider_trade_no = models.CharField("渠道交易号", max_length=64, blank=True, db_index=True)
    order_type = models.CharField("订单类型", max_length=40)
    order_id = models.CharField("订单编号", max_length=64)
    account = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="付款账户", on_delete=models.PROTECT,
                                related_name="payments")
    hospital = models.ForeignKey("catalog.Hospital", verbose_name="收款医院", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    subject = models.CharField("商品描述", max_length=128)
    amount_fen = models.PositiveIntegerField("应付金额（分）")
    captured_fen = models.PositiveIntegerField("实收金额（分）", default=0)
    refunded_fen = models.PositiveIntegerField("已退金额（分）", default=0)
    status = models.CharField("状态", max_length=20, choices=PaymentStatus.choices,
                              default=PaymentStatus.CREATED, db_index=True)
    idempotency_key = models.CharField("幂等键", max_length=64, null=True, blank=True)
    checkout_method = models.CharField("支付方式", max_length=10, blank=True)
    expires_at = models.DateTimeField("支付截止时间")
    created_at = models.DateTimeField("创建时间", default=timezone.now, db_index=True)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)
    paid_at = models.DateTimeField("支付时间", null=True, blank=True)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    close_reason = models.CharField("关闭原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "支付单"
        verbose_name_plural = "支付单"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["order_type", "order_id"]),
                   models.Index(fields=["account", "-created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["order_type", "order_id"],
                                    condition=Q(status__in=sorted(OPEN_STATUSES)),
                                    name="payment_one_open_per_order"),
            models.UniqueConstraint(fields=["account", "idempotency_key"],
                                    condition=Q(idempotency_key__isnull=False),
                                    name="payment_idempotency_key"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(condition=Q(refunded_fen__lte=F("captured_fen")),
                                   name="payment_refunds_within_capture"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.out_trade_no}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Refund(models.Model):
    class Kind(models.TextChoices):
        REQUESTED = "requested", "申请退款"
        AUTOMATIC = "automatic", "自动退款"

    external_id = ExternalIdField()
    out_refund_no = models.CharField("商户退款单号", max_length=32, unique=True, default=new_refund_no,
                                     editable=False)
    provider_refund_no = models.CharField("渠道退款单号", max_length=64, blank=True)
    payment = models.ForeignKey(Payment, verbose_name="支付单", on_delete=models.PROTECT, related_name="refunds")
    amount_fen = models.PositiveIntegerField("退款金额（分）")
    reason = models.CharField("退款原因", max_length=200)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.REQUESTED)
    status = models.CharField("状态", max_length=10, choices=RefundStatus.choices,
                              default=RefundStatus.REQUESTED, db_index=True)
    idempotency_key = models.CharField("幂等键", max_length=64)
    failure_reason = models.CharField("失败原因", max_length=200, blank=True)
    created_at = models.DateTimeField("申请时间", default=timezone.now)
    submitted_at = models.DateTimeField("提交渠道时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "退款单"
        verbose_name_plural = "退款单"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["payment", "idempotency_key"], name="refund_idempotency_key"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="refund_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.out_refund_no} ({self.get_status_display()})"


class LedgerAccount(models.TextChoices):
    GATEWAY_CLEARING = "gateway_clearing", "网关待清算"  # money the gateway holds for us
    ORDER_REVENUE = "order_revenue", "订单收入"  # money owed to the order (the hospital)
    REFUNDS = "refunds", "退款在途"  # refunds asked of the gateway, not yet paid out


class LedgerEntry(AppendOnlyModel):
    """One line of a double-entry posting. Debits are positive, credits negative; the lines of one posting
    (`txn`) sum to zero. Rows are never changed: a mistake is corrected by a new posting."""

    class Kind(models.TextChoices):
        CAPTURE = "capture", "收款"
        REFUND_REQUESTED = "refund_requested", "发起退款"
        REFUND_PAID = "refund_paid", "退款到账"
        REFUND_FAILED = "refund_failed", "退款失败冲回"

    txn = models.UUIDField("记账凭证", db_index=True)
    kind = models.CharField("业务", max_length=20, choices=Kind.choices)
    payment = models.ForeignKey(Payment, verbose_name="支付单", on_delete=models.PROTECT,
                                related_name="ledger_entries")
    refund = models.ForeignKey(Refund, verbose_name="退款单", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="ledger_entries")
    account = models.CharField("科目", max_length=20, choices=LedgerAccount.choices)
    amount_fen = models.BigIntegerField("金额（分，借正贷负）")
    created_at = models.DateTimeField("记账时间", default=timezone.now)

    class Meta:
        verbose_name = "账务分录"
        verbose_name_plural = "账务分录"
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=~Q(amount_fen=0), name="ledger_amount_not_zero")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_account_display()} {self.amount_fen}"


class PaymentNotification(AppendOnlyModel):
    """A gateway notification we accepted (signature valid), once per (provider, notice id): a repeat of the
    same notice is recognised here and changes nothing."""

    provider = models.CharField("支付渠道", max_length=20)
    notice_id = models.CharField("通知编号", max_length=64)
    event = models.CharField("事件", max_length=40)
    payment = models.ForeignKey(Payment, verbose_name="支付单", on_delete=models.PROTECT,
                                related_name="notifications")
    refund = models.ForeignKey(Refund, verbose_name="退款单", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    outcome = models.CharField("处理结果", max_length=40)
    body = models.TextField("通知内容")
    received_at = models.DateTimeField("接收时间", default=timezone.now)

    class Meta:
        verbose_name = "渠道通知"
        verbose_name_plural = "渠道通知"
        ordering = ["-received_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["provider", "notice_id"], name="notification_once")]

    def __str__(self) -> str:
        return f"{self.provider} {self.event} {self.notice_id}"
