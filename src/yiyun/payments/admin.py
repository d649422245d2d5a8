"""Back-office views of payments, refunds, received notifications and the ledger — read-only for everyone.
Platform admins see all and may ask the gateway to re-sync a payment; hospital operators see their
hospitals' payments only."""

from __future__ import annotations

from django.contrib import admin, messages

from yiyun.catalog.selectors import hospital_ids_operated_by
from yiyun.core.errors import DomainError
from yiyun.core.money import format_yuan
from yiyun.payments import services
from yiyun.payments.models import LedgerEntry, Payment, PaymentNotification, Refund


class ReadOnlyAdmin(admin.ModelAdmin):
    hospital_path = "hospital"

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        return rows.filter(**{f"{self.hospital_path}__in": hospital_ids_operated_by(request.user)})

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RefundInline(admin.TabularInline):
    model = Refund
    fields = ("out_refund_no", "amount", "status", "kind", "reason", "failure_reason", "created_at",
              "finished_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description="退款金额")
    def amount(self, obj):
        return format_yuan(obj.amount_fen)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LedgerInline(admin.TabularInline):
    model = LedgerEntry
    fields = ("created_at", "kind", "account", "amount_fen", "txn", "refund")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "out_trade_no", "subject", "amount", "status", "order_type", "order_id",
                    "hospital", "paid_at")
    list_filter = ("status", "provider", "order_type", "hospital", ("created_at", admin.DateFieldListFilter))
    search_fields = ("out_trade_no", "provider_trade_no", "order_id", "subject")
    date_hierarchy = "created_at"
    list_select_related = ("hospital",)
    readonly_fields = ("external_id", "out_trade_no", "provider", "provider_trade_no", "order_type",
                       "order_id", "account", "hospital", "subject", "amount_fen", "captured_fen",
                       "refunded_fen", "status", "checkout_method", "expires_at", "created_at", "updated_at",
                       "paid_at", "closed_at", "close_reason")
    exclude = ("idempotency_key",)
    inlines = [RefundInline, LedgerInline]
    actions = ["sync_with_gateway"]

    @admin.display(description="金额", ordering="amount_fen")
    def amount(self, obj):
        return format_yuan(obj.amount_fen)

    def has_sync_permission(self, request):
        return request.user.is_superuser

    @admin.action(description="向支付渠道查询并同步", permissions=["sync"])
    def sync_with_gateway(self, request, queryset):
        for payment in queryset[:100]:
            try:
                services.query_and_sync(payment=payment)
            except DomainError as error:
                self.message_user(request, f"{payment.out_trade_no}：{error.message}", messages.WARNING)
        self.message_user(request, "已向渠道查询并同步所选支付单")


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    hospital_path = "payment__hospital"
    list_display = ("created_at", "out_refund_no", "payment", "amount", "status", "kind", "reason",
                    "finished_at")
    list_filter = ("status", "kind", ("created_at", admin.DateFieldListFilter))
    search_fields = ("out_refund_no", "provider_refund_no", "payment__out_trade_no", "payment__order_id")
    list_select_related = ("payment",)
    exclude = ("idempotency_key",)

    @admin.display(description="退款金额", ordering="amount_fen")
    def amount(self, obj):
        return format_yuan(obj.amount_fen)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    hospital_path = "payment__hospital"
    list_display = ("created_at", "txn", "kind", "account", "amount_fen", "payment", "refund")
    list_filter = ("kind", "account", ("created_at", admin.DateFieldListFilter))
    search_fields = ("txn", "payment__out_trade_no", "refund__out_refund_no")
    list_select_related = ("payment", "refund")


@admin.register(PaymentNotification)
class PaymentNotificationAdmin(ReadOnlyAdmin):
    hospital_path = "payment__hospital"
    list_display = ("received_at", "provider", "event", "notice_id", "payment", "outcome")
    list_filter = ("provider", "event", "outcome")
    search_fields = ("notice_id", "payment__out_trade_no")
    list_select_related = ("payment",)
