from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.identity.models import ApiToken, RoleGrant, User
from motcua.identity.second_factor import second_factor_reset
from motcua.identity.tokens import api_token_revoke


class RoleGrantInline(admin.TabularInline[RoleGrant, User]):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["agency"]
    readonly_fields = ["granted_at", "granted_by"]


@admin.action(description=_("Reset the second factor (the user sets up a new authenticator at the next login)"))
def reset_second_factor(modeladmin: Any, request: HttpRequest, queryset: QuerySet[User]) -> None:
    for user in queryset:
        second_factor_reset(actor=request.user, user=user)
    modeladmin.message_user(request, _("Second factor reset for %(count)d accounts.") % {"count": len(queryset)})


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
    actions = [reset_second_factor]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Administrators see every API token (never a key) and revoke them; owners make their own keys."""

    list_display = ["name", "user", "kind", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["kind", "revoked_at"]
    search_fields = ["name", "prefix", "user__username", "user__full_name"]
    readonly_fields = [
        "user",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
        # An integrated system's scope (made with ``manage.py system_token_create``).
        "kind",
        "agencies",
        "include_subagencies",
        "actions",
        "on_behalf",
    ]
    fields = tuple(readonly_fields)
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A key is made by its owner, from a session that passed the second factor; an integrated system's
        # by an administrator with ``manage.py system_token_create`` (the key is printed once).
        return False

    @admin.action(description=_("Revoke the selected API tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            api_token_revoke(actor=request.user, token=token)
        self.message_user(request, _("%(count)d API tokens revoked.") % {"count": len(queryset)})
