from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from motcua.identity.models import RoleGrant, User


class RoleGrantInline(admin.TabularInline[RoleGrant, User]):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["agency"]
    readonly_fields = ["granted_at", "granted_by"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "kind", "phone", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["username", "full_name", "phone", "email", "personal_id", "tax_code"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("kind", "full_name", "personal_id", "tax_code", "phone", "email", "address")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "must_change_password")}),
    )
    inlines = [RoleGrantInline]
