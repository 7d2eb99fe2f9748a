from django.contrib import admin

from motcua.agencies.models import Agency, Desk


class DeskInline(admin.TabularInline[Desk, Agency]):
    model = Desk
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ["code", "name", "level", "parent", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["code", "name"]
    readonly_fields = ["path"]
    inlines = [DeskInline]

    def has_add_permission(self, request: object) -> bool:
        return False  # agencies enter through the import service, which keeps the tree paths right

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Desk)
class DeskAdmin(admin.ModelAdmin[Desk]):
    list_display = ["code", "name", "agency", "is_active"]
    search_fields = ["code", "name"]
