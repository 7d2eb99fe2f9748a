"""Staff downloads of the official books of processing: a dossier's control slip and apology letter (PDF),
and the tracking book of a desk or unit over a period (XLSX)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from motcua.agencies.models import Agency, Desk
from motcua.backoffice.access import staff_required
from motcua.workflow.access import dossier_for_staff
from motcua.workflow.books import (
    BOOK_ROLES,
    ApologyNotAvailable,
    ControlSlipNotAvailable,
    apology_letter_pdf,
    book_agencies,
    control_slip_pdf,
    tracking_book_xlsx,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_DAYS = 366
MAX_OPTIONS = 200  # beyond this many agencies or desks, the field takes a typed code instead of a list
BOOK_FIELDS = {"agency", "desk", "from", "to"}


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
@staff_required()
@never_cache  # personal data: no shared or browser cache keeps a copy
def control_slip(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_for_staff(request.user, code)
    if dossier is None:
        raise Http404
    try:
        pdf = control_slip_pdf(dossier)
    except ControlSlipNotAvailable:
        raise Http404 from None
    return _pdf_response(pdf, f"phieu-kiem-soat-{dossier.code}.pdf")


@require_GET
@staff_required()
@never_cache
def apology_letter(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_for_staff(request.user, code)
    if dossier is None:
        raise Http404
    try:
        pdf = apology_letter_pdf(dossier)
    except ApologyNotAvailable:
        raise Http404 from None
    return _pdf_response(pdf, f"thu-xin-loi-{dossier.code}.pdf")


class DeskChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.agency.code})"


class TrackingBookForm(forms.Form):
    """Whose book (an agency the officer works for, optionally one of its desks) and for which days."""

    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.none(), to_field_name="code", empty_label=None
    )
    desk = DeskChoiceField(
        label=_("Desk"),
        queryset=Desk.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("All desks of the agency"),
        help_text=_("Only the dossiers received at this desk."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" and "to" are the query string's names; "from" cannot be a class attribute.
        date_input = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        self.fields["from"] = forms.DateField(label=_("From"), widget=date_input)
        self.fields["to"] = forms.DateField(label=_("To"), widget=date_input)
        agencies = book_agencies(user)
        desks = (
            Desk.objects.filter(agency__in=agencies.values("pk"), is_active=True)
            .select_related("agency")
            .order_by("agency__path", "code")
        )
        agency_field = self.fields["agency"]
        desk_field = self.fields["desk"]
        assert isinstance(agency_field, forms.ModelChoiceField) and isinstance(desk_field, forms.ModelChoiceField)
        agency_field.queryset = agencies
        desk_field.queryset = desks
        if agencies.count() > MAX_OPTIONS:
            agency_field.widget = forms.TextInput()
            agency_field.help_text = _("The agency's code, e.g. H56.14.")
        if desks.count() > MAX_OPTIONS:
            desk_field.widget = forms.TextInput()
            desk_field.help_text = _("The desk's code; leave it empty for every desk of the agency.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        if start is not None and end is not None:
            if start > end:
                self.add_error("to", _("The end of the period must not be before its start."))
            elif (end - start).days + 1 > MAX_DAYS:
                self.add_error(
                    "to", _("A book covers at most %(days)d days; choose a shorter period.") % {"days": MAX_DAYS}
                )
        agency, desk = data.get("agency"), data.get("desk")
        if agency is not None and desk is not None and desk.agency_id != agency.pk:
            self.add_error("desk", _("This desk does not belong to the chosen agency."))
        return data


@require_GET
@staff_required(*BOOK_ROLES)
@never_cache
def tracking_book(request: HttpRequest) -> HttpResponse:
    """Sổ theo dõi hồ sơ: the form, and once filled in, the XLSX of the dossiers received in the period."""
    bound = bool(BOOK_FIELDS & set(request.GET))
    today = timezone.localdate()
    form = TrackingBookForm(
        request.GET if bound else None,
        user=request.user,
        initial={"from": date(today.year, today.month, 1), "to": today},
    )
    if bound and form.is_valid():
        agency: Agency = form.cleaned_data["agency"]
        start: date = form.cleaned_data["from"]
        end: date = form.cleaned_data["to"]
        data = tracking_book_xlsx(agency=agency, start=start, end=end, desk=form.cleaned_data["desk"])
        response = HttpResponse(data, content_type=XLSX)
        filename = f"so-theo-doi-{agency.code}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return render(request, "backoffice/tracking_book.html", {"form": form}, status=400 if form.errors else 200)
