"""Administrators set up each desk's service groups and counters here. Tickets are read-only: their status
and times are written by the queue services alone."""

from django.contrib import admin

from motcua.queueing.models import Counter, ServiceGroup, Ticket


@admin.register(ServiceGroup)
class ServiceGroupAdmin(admin.ModelAdmin[ServiceGroup]):
    list_display = ["desk", "code", "name", "position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name", "desk__code", "desk__name"]
    autocomplete_fields = ["desk"]
    filter_horizontal = ["sectors"]


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin[Counter]):
    list_display = ["desk", "number", "name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "desk__code", "desk__name"]
    autocomplete_fields = ["desk"]
    filter_horizontal = ["groups"]


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin[Ticket]):
    list_display = ["label", "desk", "day", "status", "issued_at", "called_at", "counter", "officer"]
    list_filter = ["status", "day"]
    search_fields = ["desk__code"]
    list_select_related = ["group", "desk", "counter", "officer"]

    def has_add_permission(self, request: object) -> bool:
        return False  # the kiosk issues tickets (queueing.services.ticket_issue)

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
