"""User administration, for platform admins only. Phone numbers are shown masked; searching by a full
number goes through its look-up hash."""

from django.contrib import admin

from yiyun.accounts.models import User, phone_lookup
from yiyun.core.errors import ValidationFailed


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("masked_phone", "display_name", "primary_role", "is_active", "is_staff", "date_joined")
    list_filter = ("primary_role", "is_active", "is_staff", "groups")
    search_fields = ("display_name",)
    fields = ("display_name", "primary_role", "groups", "is_active", "is_staff", "is_superuser", "elder_mode",
              "language", "date_joined", "last_login")
    readonly_fields = ("date_joined", "last_login")
    filter_horizontal = ("groups",)

    @admin.display(description="手机号")
    def masked_phone(self, obj):
        return obj.masked_phone

    def get_search_results(self, request, queryset, search_term):
        try:
            key = phone_lookup(search_term)
        except ValidationFailed:
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(phone_hash=key), False

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False
