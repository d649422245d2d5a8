"""Back-office for schedules: templates, visit types and fees, booking/release rules, department limits,
sessions — each limited to the operator's own hospitals (as the catalogue admin)."""

from django.contrib import admin, messages

from yiyun.catalog.admin import HospitalScopedAdmin
from yiyun.scheduling import services
from yiyun.scheduling.forms import RULE_GROUPS, BookingPolicyForm, ScheduleTemplateAdminForm
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
    form = BookingPolicyForm
    fieldsets = ((None, {"fields": ("hospital",)}),
                 *((heading, {"fields": names}) for heading, names in RULE_GROUPS))

    def save_model(self, request, obj, form, change):
        self.check_hospital(request, obj.hospital_id)
        saved = services.save_booking_policy(policy=obj)  # the one door: re-stamps unreleased sessions
        if saved.restamped or saved.created:
            self.message_user(request, f"{saved.restamped}个未放号的出诊已按新规则调整放号时间，新生成{saved.created}个出诊。",
                              messages.INFO)


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
    form = ScheduleTemplateAdminForm

    def save_model(self, request, obj, form, change):
        """New templates publish their sessions at once; unticking 启用 retires the template (never dropping a
        booked session), as on the operator page."""
        self.check_hospital(request, obj.hospital_id)
        if not change:
            services.add_template(template=obj)
        elif "is_active" in form.changed_data and not obj.is_active:
            obj.is_active = True
            obj.save()
            services.retire_template(template=obj)
        else:
            obj.save()

    def has_delete_permission(self, request, obj=None):
        return False  # retire instead: deleting would orphan the sessions it published


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
