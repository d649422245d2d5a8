"""The sandbox gateway's own records (standing in for the remote gateway's database): trades, refunds and
the notifications it owes the merchant."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone


def new_gateway_trade_no() -> str:
    return f"SBX{timezone.localdate():%Y%m%d}{secrets.token_hex(10).upper()}"


def new_gateway_refund_no() -> str:
    return f"SBR{timezone.localdate():%Y%m%d}{secrets.token_hex(10).upper()}"


class SandboxTrade(models.Model):
    class State(models.TextChoices):
        NOTPAY = "NOTPAY", "未支付"
        SUCCESS = "SUCCESS", "支付成功"
        REFUND = "REFUND", "转入退款"
        CLOSED = "CLOSED", "已关闭"

    trade_no = models.CharField("网关交易号", max_length=40, unique=True, default=new_gateway_trade_no)
    out_trade_no = models.CharField("商户订单号", max_length=32, unique=True)
    subject = models.CharField("商品描述", max_length=128)
    amount_fen = models.PositiveIntegerField("金额（分）")
    method = models.CharField("支付方式", max_length=10)
    return_url = models.CharField("返回地址", max_length=300, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.NOTPAY)
    refunded_fen = models.PositiveIntegerField("已退金额（分）", default=0)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    expires_at = models.DateTimeField("支付截止时间")
    paid_at = models.DateTimeField("支付时间", null=True, blank=True)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)

    class Meta:
        verbose_name = "沙箱交易"
        verbose_name_plural = "沙箱交易"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.trade_no

    @property
    def is_paid(self) -> bool:
        return self.state in (self.State.SUCCESS, self.State.REFUND)


class SandboxRefund(models.Model):
    class State(models.TextChoices):
        PROCESSING = "PROCESSING", "退款处理中"
        SUCCESS = "SUCCESS", "退款成功"
        ABNORMAL = "ABNORMAL", "退款异常"

    refund_no = models.CharField("网关退款单号", max_length=40, unique=True, default=new_gateway_refund_no)
    out_refund_no = models.CharField("商户退款单号", max_length=32, unique=True)
    trade = models.ForeignKey(SandboxTrade, verbose_name="交易", on_delete=models.PROTECT,
                              related_name="refunds")
    amount_fen = models.PositiveIntegerField("退款金额（分）")
    reason = models.CharField("原因", max_length=200, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PROCESSING)
    created_at = models.DateTimeField("申请时间", default=timezone.now)
    due_at = models.DateTimeField("预计处理时间", default=timezone.now)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "沙箱退款"
        verbose_name_plural = "沙箱退款"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.refund_no


class SandboxNotice(models.Model):
    """A notification the gateway owes the merchant: delivered, retried with backoff, or dropped."""

    class Status(models.TextChoices):
        QUEUED = "queued", "待发送"
        DELIVERED = "delivered", "已送达"
        DROPPED = "dropped", "已丢弃（故障注入）"
        GAVE_UP = "gave_up", "重试用尽"

    notice_id = models.CharField("通知编号", max_length=64, unique=True)
    trade = models.ForeignKey(SandboxTrade, verbose_name="交易", on_delete=models.PROTECT,
                              related_name="notices")
    refund = models.ForeignKey(SandboxRefund, verbose_name="退款", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="notices")
    event_type = models.CharField("事件", max_length=40)
    resource = models.JSONField("内容")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED,
                              db_index=True)
    attempts = models.PositiveSmallIntegerField("已发送次数", default=0)
    extra_copies = models.PositiveSmallIntegerField("重复发送份数", default=0)
    next_attempt_at = models.DateTimeField("下次发送时间", null=True, blank=True, db_index=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    last_response = models.CharField("最近应答", max_length=200, blank=True)

    class Meta:
        verbose_name = "沙箱通知"
        verbose_name_plural = "沙箱通知"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event_type} {self.notice_id}"
