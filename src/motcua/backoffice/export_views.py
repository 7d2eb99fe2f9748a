"""Exports of a unit's indicators (XLSX workbook, PDF meeting report): at once for short periods, through
a background job with a progress page for long ones.

An export starts only from a POST, one per request: a GET (a link, a reload, a prefetch, a crawler)
shows the form, filled with the filters it carries, and never builds a file nor queues a job."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from motcua.backoffice.access import staff_required
from motcua.catalog.models import Sector
from motcua.reports.export_services import (
    export_runs_in_background,
    export_sync_days,
    report_export_for,
    report_export_request,
)
from motcua.reports.exports import CONTENT_TYPES, EXPORTERS, export_filename, filters_text
from motcua.reports.indicators import Scope
from motcua.reports.models import ReportExport
from motcua.reports.scope_query import (
    REPORT_ROLES,
    ReportAgencyForbidden,
    ReportQueryInvalid,
    report_agencies,
    report_scope,
)

EXPORT_FIELDS = {"agency", "from", "to", "sector", "procedure", "format"}
MAX_OPTIONS = 200  # beyond this many agencies, the field takes a typed code instead of a list


class ReportExportForm(forms.Form):
    """The dashboard's filters (agency, from, to, sector, procedure; codes and ISO dates) and a format."""

    agency = forms.CharField(label=_("Agency"), max_length=35)
    sector = forms.CharField(label=_("Sector"), required=False, max_length=50)
    procedure = forms.CharField(
        label=_("Procedure"),
        required=False,
        max_length=20,
        help_text=_("The procedure's national code, e.g. 1.001193; leave it empty for every procedure."),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=ReportExport.Format.choices,
        initial=ReportExport.Format.XLSX,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.scope: Scope | None = None
        date_input = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        # "from" cannot be a class attribute; the order is that of the dashboard's filters.
        fields = dict(self.fields)
        self.fields.clear()
        self.fields["agency"] = fields["agency"]
        self.fields["from"] = forms.DateField(label=_("From"), widget=date_input)
        self.fields["to"] = forms.DateField(label=_("To"), widget=date_input)
        for name in ("sector", "procedure", "format"):
            self.fields[name] = fields[name]
        agencies = report_agencies(user)
        if agencies.count() <= MAX_OPTIONS:
            self.fields["agency"].widget = forms.Select(choices=[(a.code, f"{a.name} ({a.code})") for a in agencies])
        else:
            self.fields["agency"].help_text = _("The agency's code, e.g. H56.14.")
        sectors = [("", _("All sectors"))] + [(s.code, s.name) for s in Sector.objects.order_by("name")]
        self.fields["sector"].widget = forms.Select(choices=sectors)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            self.scope = report_scope(
                self.user,
                agency=data.get("agency"),
                start=data.get("from"),
                end=data.get("to"),
                sector=data.get("sector"),
                procedure=data.get("procedure"),
            )
        except ReportQueryInvalid as refused:
            for field, messages in (refused.details or {}).items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        # ReportAgencyForbidden goes through: the view answers 403.
        return data


def _attachment(data: bytes, scope: Scope, fmt: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{export_filename(scope, fmt)}"'
    return response


@require_http_methods(["GET", "POST"])
@staff_required(*REPORT_ROLES)
@never_cache
def report_export(request: HttpRequest) -> HttpResponse:
    """GET: the export form, prefilled from the query string (the dashboard's filters). POST: the file
    itself (short periods), or one background job and a redirect to its progress page."""
    today = timezone.localdate()
    initial: dict[str, Any] = {"from": date(today.year, today.month, 1), "to": today}
    if request.method != "POST":
        initial |= {name: request.GET[name] for name in EXPORT_FIELDS if request.GET.get(name)}
        form = ReportExportForm(user=request.user, initial=initial)
        return render(request, "backoffice/report_export/form.html", {"form": form, "sync_days": export_sync_days()})
    data = request.POST.copy()
    if "format" not in data:
        data["format"] = ReportExport.Format.XLSX
    form = ReportExportForm(data, user=request.user, initial=initial)
    try:
        valid = form.is_valid()
    except ReportAgencyForbidden:
        raise PermissionDenied from None
    if valid and form.scope is not None:
        scope, fmt = form.scope, form.cleaned_data["format"]
        if export_runs_in_background(scope):
            export = report_export_request(actor=request.user, scope=scope, fmt=fmt)
            return redirect("backoffice:report-export-status", export_id=export.pk)
        return _attachment(EXPORTERS[fmt](scope, filters_text=filters_text(scope), now=timezone.now()), scope, fmt)
    context = {"form": form, "sync_days": export_sync_days()}
    return render(request, "backoffice/report_export/form.html", context, status=400 if form.errors else 200)


@require_GET
@staff_required(*REPORT_ROLES)
@never_cache
def report_export_status(request: HttpRequest, export_id: int) -> HttpResponse:
    """The job page of an export: its progress, refreshed every 2 seconds until it is ready or failed."""
    export = report_export_for(request.user, export_id)
    if export is None:
        raise Http404
    return render(request, "backoffice/report_export/status.html", {"export": export})


@require_GET
@staff_required(*REPORT_ROLES)
@never_cache
def report_export_download(request: HttpRequest, export_id: int) -> HttpResponse:
    export = report_export_for(request.user, export_id)
    if export is None or export.status != ReportExport.State.DONE or not export.file:
        raise Http404
    scope = Scope(agency=export.agency, start=export.start, end=export.end)
    response: Any = FileResponse(  # a streaming response; staff_required is typed for HttpResponse
        export.file.open("rb"),
        as_attachment=True,
        filename=export_filename(scope, export.format),
        content_type=CONTENT_TYPES[export.format],
    )
    return response
