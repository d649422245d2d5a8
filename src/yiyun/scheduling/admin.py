"""Back-office for schedules: templates, visit types and fees, booking/release rules, department limits,
sessions — each limited to the operator's own hospitals (as the catalogue admin)."""

from django.contrib import admin

from yiyun.catalog.admin import HospitalScopedAdmin
from yiyun.scheduling.models import (
    BookingPolicy,
    DepartmentBookingLimit,
    ScheduleTemplate,
    Session,
    VisitType,
)


@admin.register(BookingPolicy)
class BookingPolicyAdmin(HospitalScopedAdmin):
    list_display = ("hospital", "horizon_days", "release_time", "hold_minutes", "cancel_deadline_minutes",
                    "max_active_per_day", "max_active_per_week", "no_show_limit")
    fieldsets = (
        ("放号", {"fields": ("hospital", "horizon_days", "release_time")}),
        ("预约限制", {"fields": ("one_per_doctor_per_day", "max_active_per_day", "max_active_per_week",
                             "hold_minutes", "cancel_deadline_minutes", "waitlist_offer_minutes")}),
        ("爽约", {"fields": ("no_show_limit", "no_show_window_days", "suspension_days")}),
        ("签到与叫号", {"fields": ("checkin_opens_minutes", "late_grace_minutes", "missed_call_requeue_after",
                              "max_missed_calls", "reminder_time")}),
    )


@admin.register(VisitType)
class VisitTypeAdmin(HospitalScopedAdmin):
    list_display = ("name", "code", "hospital", "fee_fen", "is_active")
    list_filter = ("hospital", "code", "is_active")


@admin.register(DepartmentBookingLimit)
class DepartmentBookingLimitAdmin(HospitalScopedAdmin):
    hospital_path = "department__hospital"
    list_display = ("department", "min_age", "max_age", "sex")

    def save_model(self, request, obj, form, change):
        self.check_hospital(request, obj.department.hospital_id)
        obj.save()


@admin.register(ScheduleTemplate)
class ScheduleTemplateAdmin(HospitalScopedAdmin):
    list_display = ("doctor", "department", "weekday", "period", "start_time", "end_time", "window_minutes",
                    "online_per_window", "onsite_per_window", "visit_type", "is_active")
    list_filter = ("hospital", "weekday", "period", "is_active", "department")
    search_fields = ("doctor__name", "doctor__name_pinyin", "department__name")
    autocomplete_fields = ()
    list_select_related = ("doctor", "department", "visit_type")


@admin.register(Session)
class SessionAdmin(HospitalScopedAdmin):
    """Read-only here: sessions change through 停诊/替诊 on the operator page, never by editing rows."""

    list_display = ("date", "period", "doctor", "department", "visit_type", "fee_fen", "status", "release_at")
    list_filter = ("hospital", "status", "period", "department", "date")
    search_fields = ("doctor__name", "department__name")
    date_hierarchy = "date"
    list_select_related = ("doctor", "department", "visit_type")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
