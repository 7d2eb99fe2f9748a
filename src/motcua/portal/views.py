"""Public pages: home, procedure search and the procedure notice."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.catalog.constants import OnlineMode
from motcua.catalog.notice import case_notices, document_entries
from motcua.catalog.selectors import procedure_detail, procedures_public, procedures_search, sectors_with_procedures
from motcua.portal.forms import ProcedureFilterForm

PAGE_SIZE = 20


def home(request: HttpRequest) -> HttpResponse:
    procedures = procedures_public()
    context = {
        "form": ProcedureFilterForm(),
        "sectors": sectors_with_procedures(),
        "procedure_count": procedures.count(),
        "online_count": procedures.exclude(online_mode=OnlineMode.NONE).count(),
    }
    return render(request, "portal/home.html", context)


def procedure_list(request: HttpRequest) -> HttpResponse:
    form = ProcedureFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = procedures_search(
        query=filters.get("q", ""),
        sector=filters.get("sector", ""),
        agency=filters.get("agency", ""),
        level=filters.get("level", ""),
        online_mode=filters.get("online_mode", ""),
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "portal/procedure_list.html", {"form": form, "page": page, "query": query.urlencode()})


def procedure_page(request: HttpRequest, code: str) -> HttpResponse:
    procedure = procedure_detail(code)
    if procedure is None:
        raise Http404
    version = procedure.current_version
    assert version is not None  # procedure_detail returns published procedures only
    context = {
        "procedure": procedure,
        "version": version,
        "cases": case_notices(version),
        "document_entries": document_entries(version),
    }
    return render(request, "portal/procedure_detail.html", context)
