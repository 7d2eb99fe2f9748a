from django.contrib import admin

from motcua.documents.models import DigitizationFee


@admin.register(DigitizationFee)
class DigitizationFeeAdmin(admin.ModelAdmin):
    """Administrators set the digitization fee (per page) of the deployment and of agencies that differ."""

    list_display = ["name", "agency", "amount_per_page", "is_active"]
    list_filter = ["is_active"]
    autocomplete_fields = ["agency"]
