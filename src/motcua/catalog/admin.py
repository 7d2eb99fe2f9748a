from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import ManyToManyField, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.catalog.constants import VersionStatus
from motcua.catalog.guide_models import OnlineGuide
from motcua.catalog.models import (
    Fee,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    RequiredDocument,
    ResultType,
    Sector,
)
from motcua.catalog.services import online_guide_save, procedure_draft_create, procedure_version_publish
from motcua.core.exceptions import DomainError


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin[Sector]):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class _DraftOnly:
    """Inlines and forms of a version are editable only while it is a draft."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or getattr(obj, "status", VersionStatus.DRAFT) == VersionStatus.DRAFT

    has_add_permission = has_change_permission  # type: ignore[assignment]
    has_delete_permission = has_change_permission


class _CasesOfThisVersion:
    """A document's or fee's cases are picked among the cases of the version being edited."""

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField | None:
        if db_field.name == "cases":
            match = request.resolver_match
            version_id = match.kwargs.get("object_id") if match else None
            kwargs["queryset"] = ProcedureCase.objects.filter(version_id=version_id)
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


class ProcedureCaseInline(_DraftOnly, admin.TabularInline[ProcedureCase, ProcedureVersion]):
    model = ProcedureCase
    extra = 0
    fields = ["position", "code", "name", "time_amount", "time_unit", "online_mode", "selector", "description"]


class RequiredDocumentInline(_CasesOfThisVersion, _DraftOnly, admin.StackedInline[RequiredDocument, ProcedureVersion]):
    model = RequiredDocument
    extra = 0
    fields = [
        ("position", "name"),
        ("requirement", "group"),
        ("condition_label", "condition"),
        "cases",
        ("form", "quantity", "document_type_code", "reusable"),
        ("template", "note"),
    ]


class FeeInline(_CasesOfThisVersion, _DraftOnly, admin.TabularInline[Fee, ProcedureVersion]):
    model = Fee
    extra = 0
    fields = ["position", "name", "amount", "cases", "collected_at", "exemptions", "note"]


class ResultTypeInline(_DraftOnly, admin.TabularInline[ResultType, ProcedureVersion]):
    model = ResultType
    extra = 0
    fields = ["position", "code", "name", "validity_months"]


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(_DraftOnly, admin.ModelAdmin[ProcedureVersion]):
    list_display = ["procedure", "number", "status", "name", "published_at"]
    list_filter = ["status", "sector"]
    search_fields = ["procedure__code", "name"]
    readonly_fields = ["procedure", "number", "status", "published_at"]
    inlines = [ProcedureCaseInline, RequiredDocumentInline, FeeInline, ResultTypeInline]
    actions = ["publish"]

    def has_add_permission(self, request: HttpRequest) -> bool:  # type: ignore[override]
        return False  # drafts start from the procedure ("new draft" action)

    @admin.action(description=_("Publish the selected drafts"))
    def publish(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> None:
        for version in queryset:
            try:
                procedure_version_publish(actor=request.user, version=version)
            except DomainError as exc:
                problems = [p for found in (exc.details or {}).values() for p in found]
                self.message_user(request, " ".join([f"{version}: {exc.message}", *problems]), messages.ERROR)
            else:
                self.message_user(request, _("%(version)s published.") % {"version": version})


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin[Procedure]):
    list_display = ["code", "name", "sector", "online_mode"]
    list_filter = ["sector", "online_mode"]
    search_fields = ["code", "name", "search_text"]
    readonly_fields = ["code", "current_version", "name", "sector", "online_mode", "levels"]
    exclude = ["agencies"]
    actions = ["new_draft"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # new procedures come from a catalog import

    @admin.action(description=_("Start a new draft version"))
    def new_draft(self, request: HttpRequest, queryset: QuerySet[Procedure]) -> None:
        for procedure in queryset:
            draft = procedure_draft_create(actor=request.user, procedure=procedure)
            self.message_user(request, _("Draft %(version)s is ready to edit.") % {"version": draft})


@admin.register(OnlineGuide)
class OnlineGuideAdmin(admin.ModelAdmin[OnlineGuide]):
    """The administrators' words around a generated online guide; saved through the catalog's service."""

    list_display = ["procedure", "updated_by", "updated_at"]
    search_fields = ["procedure__code", "procedure__name"]
    autocomplete_fields = ["procedure"]
    fields = ["procedure", "intro", "notes", "updated_by", "updated_at"]
    readonly_fields = ["updated_by", "updated_at"]

    def save_model(self, request: HttpRequest, obj: OnlineGuide, form: Any, change: bool) -> None:
        saved = online_guide_save(actor=request.user, procedure=obj.procedure, intro=obj.intro, notes=obj.notes)
        obj.pk = saved.pk
