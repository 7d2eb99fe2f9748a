"""Back office: the provider's statements of online payments, imported and reconciled by the unit's supervisor
or desk officers (``payments.reconciliation``), and per statement what does not match. Scoped to the units the
user reconciles for, sub-agencies included."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.agencies.models import Agency
from motcua.backoffice.access import staff_required
from motcua.core.exceptions import DomainError
from motcua.identity.selectors import agencies_for
from motcua.payments.reconciliation import (
    RECONCILING_ROLES,
    statement_for,
    statement_import,
    statement_mismatches,
    statements_visible_to,
)
from motcua.payments.statement import FORMATS

PAGE_SIZE = 50
MAX_FILE_BYTES = 20 * 1024 * 1024


class StatementForm(forms.Form):
    agency = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=Agency.objects.none())
    provider = forms.ChoiceField(label=gettext_lazy("Payment provider"))
    period_start = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    period_end = forms.DateField(
        label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    file = forms.FileField(
        label=gettext_lazy("Statement file (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.ModelChoiceField)
        agency_field.queryset = agencies_for(user, RECONCILING_ROLES).order_by("path")
        provider_field = self.fields["provider"]
        assert isinstance(provider_field, forms.ChoiceField)
        provider_field.choices = [(code, spec.name) for code, spec in FORMATS.items()]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB: split the period."))
        return upload


def provider_name(code: str) -> str:
    return FORMATS[code].name if code in FORMATS else code


@staff_required(*RECONCILING_ROLES)
def statements(request: HttpRequest) -> HttpResponse:
    """The statements imported, newest first, and the form to import one."""
    form = StatementForm(request.POST or None, request.FILES or None, user=request.user)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            statement = statement_import(
                actor=request.user,
                agency=data["agency"],
                provider=data["provider"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                file_name=upload.name,
                content=upload.read(),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            problems = [str(item) for item in exc.details] if isinstance(exc.details, list) else []
        else:
            messages.success(
                request,
                _("Statement imported: %(matched)d matched, %(mismatches)d to look at.")
                % {"matched": statement.matched, "mismatches": statement.mismatch_count},
            )
            return redirect("backoffice:payment-statement", pk=statement.pk)
    page = Paginator(statements_visible_to(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(row, provider_name(row.provider)) for row in page]
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "backoffice/payments/statements.html",
        {"page": page, "rows": rows, "form": form, "problems": problems},
        status=status,
    )


@staff_required(*RECONCILING_ROLES)
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    """One statement: its counts and every line that does not match, with the dossier it concerns."""
    found = statement_for(request.user, pk)
    if found is None:
        raise Http404
    return render(
        request,
        "backoffice/payments/statement.html",
        {
            "statement": found,
            "lines": statement_mismatches(found),
            "provider": provider_name(found.provider),
        },
    )


__all__ = ["statement", "statements"]
