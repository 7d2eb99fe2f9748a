"""Certified electronic copies from originals: the dossier's certification page (the desk records the
comparison, the certifier certifies) and the certification book of an agency and year (page and XLSX).
Views parse, fetch through the scoped selectors, call one service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from motcua.agencies.models import Agency
from motcua.backoffice.access import staff_required
from motcua.core.exceptions import DomainError
from motcua.core.identifiers import mask
from motcua.documents.certification import is_certified_copy_procedure, vnd
from motcua.documents.certification_book import book_of, book_rows, certification_book_xlsx
from motcua.documents.models import Certification
from motcua.dossiers.models import Dossier
from motcua.identity.constants import Role
from motcua.workflow.access import dossier_for_staff
from motcua.workflow.actions import allowed_action_names
from motcua.workflow.books import BOOK_ROLES, book_agencies
from motcua.workflow.certification import (
    certification_quote,
    dossier_certify,
    dossier_original_compare,
    is_compared,
    scan_document,
)
from motcua.workflow.constants import Action
from motcua.workflow.steps import current_step

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COMPARE, CERTIFY = "compare", "certify"


def _copy_request(user: Any, code: str) -> Dossier:
    dossier = dossier_for_staff(user, code)
    if dossier is None or not is_certified_copy_procedure(dossier.procedure.code):
        raise Http404
    return dossier


def _offered(user: Any, dossier: Dossier) -> set[str]:
    """The certification steps the person may take now: the desk's comparison (its forward from the desk
    step) and the certifier's certification (the leader's approval)."""
    allowed = allowed_action_names(user, dossier, among=[Action.FORWARD, Action.APPROVE])
    step = current_step(dossier)
    offered = set()
    if Action.FORWARD in allowed and step is not None and step.role == Role.DESK_OFFICER:
        offered.add(COMPARE)
    if Action.APPROVE in allowed:
        offered.add(CERTIFY)
    return offered


class CompareForm(forms.Form):
    compared = forms.BooleanField(
        label=gettext_lazy("I compared the scan with the original, page by page: they are the same."),
        required=True,
        error_messages={"required": gettext_lazy("Confirm that you compared the scan with the original.")},
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=1000)


class CertifyForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=1000)


def _actor(request: HttpRequest) -> Any:
    user = request.user
    return user._wrapped if isinstance(user, SimpleLazyObject) else user


def _page(
    request: HttpRequest,
    dossier: Dossier,
    *,
    forms_: dict[str, forms.Form] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    offered = _offered(request.user, dossier)
    bound = forms_ or {}
    entry = Certification.objects.filter(dossier=dossier).select_related("book", "document").first()
    quote = certification_quote(dossier) if entry is None else None
    context = {
        "dossier": dossier,
        "applicant_id": mask(dossier.applicant_id_number),
        "scan": scan_document(dossier),
        "quote": quote,
        "quote_fee": vnd(quote.fee) if quote is not None else "",
        "entry": entry,
        "entry_fee": vnd(entry.fee) if entry is not None else "",
        "compared": is_compared(dossier),
        "compare_form": bound.get(COMPARE, CompareForm()) if COMPARE in offered else None,
        "certify_form": bound.get(CERTIFY, CertifyForm()) if CERTIFY in offered else None,
        "error": error,
    }
    return render(request, "backoffice/certification/dossier.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required()
@never_cache
def certification_dossier(request: HttpRequest, code: str) -> HttpResponse:
    """Chứng thực bản sao điện tử: the scan, its pages and fee, the comparison and the certification."""
    dossier = _copy_request(request.user, code)
    if request.method == "GET":
        return _page(request, dossier)
    step = request.POST.get("step", "")
    if step not in _offered(request.user, dossier):
        raise Http404
    form: forms.Form = CompareForm(request.POST) if step == COMPARE else CertifyForm(request.POST)
    if not form.is_valid():
        return _page(request, dossier, forms_={step: form}, status=400)
    try:
        if step == COMPARE:
            dossier_original_compare(actor=_actor(request), code=dossier.code, note=form.cleaned_data["note"])
            messages.success(request, _("The comparison is recorded; the dossier went to the certifier."))
        else:
            dossier_certify(actor=_actor(request), code=dossier.code, note=form.cleaned_data["note"])
            messages.success(request, _("The copy is certified, signed by the agency and in the applicant's store."))
    except DomainError as exc:
        return _page(request, dossier, forms_={step: form}, error=str(exc.message), status=exc.status)
    return redirect("backoffice:certification-dossier", code=dossier.code)


class BookForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Agency"), queryset=Agency.objects.none(), to_field_name="code", empty_label=None
    )
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = book_agencies(user)


@require_GET
@staff_required(*BOOK_ROLES)
@never_cache  # personal data
def certification_book(request: HttpRequest) -> HttpResponse:
    """Sổ chứng thực bản sao từ bản chính of an agency the person works for, for a year: the entries on
    the page, and the XLSX (``?xlsx=1``)."""
    bound = bool({"agency", "year"} & set(request.GET))
    form = BookForm(request.GET if bound else None, user=request.user, initial={"year": timezone.localdate().year})
    rows: list[Any] = []
    book = None
    if bound and form.is_valid():
        agency: Agency = form.cleaned_data["agency"]
        year: int = form.cleaned_data["year"]
        if request.GET.get("xlsx"):
            response = HttpResponse(certification_book_xlsx(agency=agency, year=year), content_type=XLSX)
            response["Content-Disposition"] = f'attachment; filename="so-chung-thuc-{agency.code}-{year}.xlsx"'
            return response
        book = book_of(agency=agency, year=year)
        rows = book_rows(book)
    context = {
        "form": form,
        "rows": rows,
        "book": book,
        "shown": bound and form.is_valid(),
        "query": request.GET.urlencode(),
    }
    return render(request, "backoffice/certification/book.html", context, status=400 if form.errors else 200)
