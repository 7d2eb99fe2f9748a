from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.documents.models import DigitizationFee, DocumentType
from motcua.documents.services import document_type_save


@admin.register(DigitizationFee)
class DigitizationFeeAdmin(admin.ModelAdmin[DigitizationFee]):
    """Administrators set the digitization fee (per page) of the deployment and of agencies that differ."""

    list_display = ["name", "agency", "amount_per_page", "is_active"]
    list_filter = ["is_active"]
    autocomplete_fields = ["agency"]


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin[DocumentType]):
    """Document types and how long a digitized copy of each stays usable (empty: it does not expire).

    A change applies to documents digitized from then on; documents already in a store keep the
    validity they were given."""

    list_display = ["code", "name", "validity_months"]
    search_fields = ["code", "name"]
    ordering = ["code"]

    def save_model(self, request: HttpRequest, obj: DocumentType, form: Any, change: bool) -> None:
        document_type_save(actor=request.user, document_type=obj)

    def has_delete_permission(self, request: HttpRequest, obj: DocumentType | None = None) -> bool:
        # Digitized documents name their type by code: a type is kept, its validity edited instead.
        return False
