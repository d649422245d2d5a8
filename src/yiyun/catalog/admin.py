"""Back-office for hospital operators. Every list, form choice and save is limited to the hospitals the
operator runs (OperatorAssignment); platform admins (superusers) see everything."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from yiyun.catalog import services
from yiyun.catalog.models import (
    Campus,
    Department,
    Doctor,
    Hospital,
    Nurse,
    OperatorAssignment,
    Pharmacist,
    StandardDepartment,
)
from yiyun.catalog.selectors import hospital_ids_operated_by

admin.site.site_header = "医云 Yiyun 运营后台"
admin.site.site_title = "医云运营后台"
admin.site.index_title = "医院运营管理"


class HospitalScopedAdmin(admin.ModelAdmin):
    """Rows, choices and saves limited to the operator's hospitals."""

    hospital_path = "hospital"

    def allowed_hospitals(self, request) -> list[int] | None:
        if request.user.is_superuser:
            return None
        cached = getattr(request, "_operator_hospitals", None)
        if cached is None:
            cached = hospital_ids_operated_by(request.user)
            request._operator_hospitals = cached
        return cached

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        allowed = self.allowed_hospitals(request)
        if allowed is None:
            return rows
        return rows.filter(**{f"{self.hospital_path}__in": allowed})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        allowed = self.allowed_hospitals(request)
        if allowed is not None:
            model = db_field.related_model
            if model is Hospital:
                kwargs["queryset"] = Hospital.objects.filter(id__in=allowed)
            elif any(f.name == "hospital" for f in model._meta.get_fields()):
                kwargs["queryset"] = model.objects.filter(hospital_id__in=allowed)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        allowed = self.allowed_hospitals(request)
        if allowed is not None and db_field.related_model is Department:
            kwargs["queryset"] = Department.objects.filter(hospital_id__in=allowed)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def check_hospital(self, request, hospital_id) -> None:
        allowed = self.allowed_hospitals(request)
        if allowed is not None and hospital_id not in allowed:
            raise PermissionDenied("只能管理本院数据")

    def save_model(self, request, obj, form, change):
        self.check_hospital(request, getattr(obj, "hospital_id", None) if self.hospital_path != "id" else obj.pk)
        super().save_model(request, obj, form, change)


@admin.register(Hospital)
class HospitalAdmin(HospitalScopedAdmin):
    hospital_path = "id"
    list_display = ("name", "tier", "city", "district", "phone", "is_active")
    list_filter = ("tier", "district", "is_active")
    search_fields = ("name", "short_name", "code", "address")

    def has_add_permission(self, request):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        if change:
            self.check_hospital(request, obj.pk)
        admin.ModelAdmin.save_model(self, request, obj, form, change)


@admin.register(Campus)
class CampusAdmin(HospitalScopedAdmin):
    list_display = ("name", "hospital", "address", "phone")
    list_filter = ("hospital",)
    search_fields = ("name", "address")


@admin.register(StandardDepartment)
class StandardDepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "patient_name", "parent")
    search_fields = ("code", "name", "patient_name")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Department)
class DepartmentAdmin(HospitalScopedAdmin):
    list_display = ("name", "hospital", "standard", "campus", "location", "doctor_count", "is_active")
    list_filter = ("hospital", "is_active", ("standard__parent", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "standard__code", "standard__patient_name")
    autocomplete_fields = ("standard",)
    list_select_related = ("hospital", "standard", "campus")

    @admin.display(description="医生数")
    def doctor_count(self, obj):
        return obj.doctors.count()


class StaffAdmin(HospitalScopedAdmin):
    list_select_related = ("hospital",)
    search_fields = ("name", "licence_number")
    readonly_fields = ("external_id",)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("user")  # linking login accounts is a platform-admin task
        return fields


@admin.register(Doctor)
class DoctorAdmin(StaffAdmin):
    list_display = ("name", "title", "hospital", "department_names", "years_of_practice", "rating", "is_active")
    list_filter = ("hospital", "title", "is_active", "departments__standard__parent")
    search_fields = ("name", "name_pinyin", "name_initials", "licence_number", "specialty")
    filter_horizontal = ("departments",)

    @admin.display(description="出诊科室")
    def department_names(self, obj):
        return "、".join(d.name for d in obj.departments.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("departments")

    def save_model(self, request, obj, form, change):
        self.check_hospital(request, obj.hospital_id)
        services.refresh_doctor_search_keys(obj)
        obj.save()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        doctor = form.instance
        if doctor.departments.exclude(hospital_id=doctor.hospital_id).exists():
            raise PermissionDenied("医生只能在本院科室出诊")


@admin.register(Pharmacist)
class PharmacistAdmin(StaffAdmin):
    list_display = ("name", "title", "hospital", "can_review", "years_of_practice", "is_active")
    list_filter = ("hospital", "title", "can_review", "is_active")


@admin.register(Nurse)
class NurseAdmin(StaffAdmin):
    list_display = ("name", "title", "hospital", "department", "home_visits", "is_active")
    list_filter = ("hospital", "title", "home_visits", "is_active")
    list_select_related = ("hospital", "department")


@admin.register(OperatorAssignment)
class OperatorAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "hospital")
    list_filter = ("hospital",)

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
