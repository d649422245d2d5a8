"""Searching the access log in the back-office. Nothing here can add, change or delete a row.
Operators see the accesses made in their hospitals' context; platform admins see all."""

from django.contrib import admin

from yiyun.audit.models import AccessLog
from yiyun.catalog.selectors import hospital_ids_operated_by


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_label", "actor_role", "patient_ref", "record_type", "action", "outcome", "channel",
                    "ip")
    list_filter = ("action", "outcome", "channel", "actor_role", "record_type", ("at", admin.DateFieldListFilter))
    search_fields = ("actor_label", "record_id", "ip", "path")
    date_hierarchy = "at"
    list_per_page = 50

    @admin.display(description="就诊人")
    def patient_ref(self, obj):
        return f"#{obj.patient_id}" if obj.patient_id else "-"

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        return rows.filter(hospital_id__in=hospital_ids_operated_by(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
