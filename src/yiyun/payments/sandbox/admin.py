"""The sandbox gateway's records, read-only, for platform admins (to watch notices, retries and faults)."""

from django.contrib import admin

from yiyun.payments.sandbox.models import SandboxNotice, SandboxRefund, SandboxTrade


class GatewayRecordAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SandboxTrade)
class SandboxTradeAdmin(GatewayRecordAdmin):
    list_display = ("created_at", "trade_no", "out_trade_no", "subject", "amount_fen", "state",
                    "refunded_fen", "paid_at")
    list_filter = ("state", "method")
    search_fields = ("trade_no", "out_trade_no")


@admin.register(SandboxRefund)
class SandboxRefundAdmin(GatewayRecordAdmin):
    list_display = ("created_at", "refund_no", "out_refund_no", "trade", "amount_fen", "state", "finished_at")
    list_filter = ("state",)
    search_fields = ("refund_no", "out_refund_no")


@admin.register(SandboxNotice)
class SandboxNoticeAdmin(GatewayRecordAdmin):
    list_display = ("created_at", "event_type", "notice_id", "trade", "status", "attempts", "next_attempt_at",
                    "last_response")
    list_filter = ("status", "event_type")
    search_fields = ("notice_id", "trade__trade_no", "trade__out_trade_no")
