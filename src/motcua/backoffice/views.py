"""Back-office shell: role-based home, desk account creation, agency and catalog administration."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.services import agency_import
from motcua.backoffice.access import staff_required
from motcua.backoffice.accounts import handover_context, open_account, typed_identifier
from motcua.backoffice.forms import ImportForm
from motcua.catalog.selectors import catalog_export, procedures_search
from motcua.catalog.services import catalog_import
from motcua.catalog.xlsx import catalog_from_xlsx, catalog_to_xlsx
from motcua.core.exceptions import DomainError
from motcua.core.tabular import read_table
from motcua.identity.constants import Role
from motcua.identity.forms import ApplicantSearchForm, DeskApplicantForm
from motcua.identity.selectors import agencies_for, find_applicants

ADMIN = [Role.ADMINISTRATOR]
OVERSIGHT = [Role.ADMINISTRATOR, Role.SUPERVISOR]


@staff_required()
def home(request: HttpRequest) -> HttpResponse:
    grants = request.user.grants.select_related("agency").order_by("agency__path", "role")  # type: ignore[union-attr]
    return render(request, "backoffice/home.html", {"grants": grants})


@staff_required(Role.DESK_OFFICER)
def applicants(request: HttpRequest) -> HttpResponse:
    search = ApplicantSearchForm(request.GET or None)
    found = list(find_applicants(actor=request.user, query=search.cleaned_data["q"])) if search.is_valid() else []
    hint = typed_identifier(search.cleaned_data["q"])[1] if search.is_valid() and not found else ""
    return render(request, "backoffice/applicants.html", {"search": search, "found": found, "hint": hint})


@staff_required(Role.DESK_OFFICER)
def applicant_create(request: HttpRequest) -> HttpResponse:
    """Open an account; ``?q=`` carries the number typed in the search into the form."""
    initial, hint = typed_identifier(request.GET.get("q", "")[:20])
    form = DeskApplicantForm(request.POST or None, initial=initial)
    if (opened := open_account(request, form)) is not None:
        return render(request, "backoffice/applicant_handover.html", handover_context(opened))
    context = {"form": form, "hint": hint}
    return render(request, "backoffice/applicant_form.html", context, status=400 if form.errors else 200)


@staff_required(*OVERSIGHT)
def agencies(request: HttpRequest) -> HttpResponse:
    scope = agencies_for(request.user, OVERSIGHT).select_related("parent").prefetch_related("desks")
    return render(request, "backoffice/agencies.html", {"agencies": scope})


def _import_page(
    request: HttpRequest, *, title: str, help_text: str, run: Callable[[Any], str], done_url: str
) -> HttpResponse:
    """Upload a file, hand it to ``run`` (one import service, all or nothing) and show every bad row."""
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: dict[Any, list[str]] = {}
    if request.method == "POST" and form.is_valid():
        try:
            summary = run(form.cleaned_data["file"])
        except DomainError as exc:
            errors = exc.details or {"": [str(exc.message)]}
        else:
            messages.success(request, summary)
            return redirect(done_url)
    context = {"form": form, "errors": errors, "title": title, "help": help_text}
    return render(request, "backoffice/import.html", context, status=400 if errors or form.errors else 200)


@staff_required(*ADMIN)
def agencies_import(request: HttpRequest) -> HttpResponse:
    def run(upload: Any) -> str:
        rows = read_table(upload.name, upload.read())
        report = agency_import(actor=request.user, rows=[(r.number, r.values) for r in rows])
        return _("Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.") % {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        }

    return _import_page(
        request,
        title=_("Import agencies"),
        run=run,
        done_url="backoffice:agencies",
        help_text=_(
            "CSV or XLSX with the columns code, name, level, parent_code, address, phone, email, "
            "desk_code, desk_name. Nothing is imported if any row is wrong."
        ),
    )


@staff_required(*ADMIN)
def catalog(request: HttpRequest) -> HttpResponse:
    procedures = procedures_search(query=request.GET.get("q", "")).select_related("current_version")[:200]
    return render(request, "backoffice/catalog.html", {"procedures": procedures, "q": request.GET.get("q", "")})


@staff_required(*ADMIN)
def catalog_import_view(request: HttpRequest) -> HttpResponse:
    def run(upload: Any) -> str:
        data = upload.read()
        document = catalog_from_xlsx(data) if data[:2] == b"PK" else _json_document(data)
        report = catalog_import(actor=request.user, document=document)
        return _("Imported: %(created)d new procedures, %(versions)d new versions, %(unchanged)d unchanged.") % {
            "created": report.created,
            "versions": report.new_versions,
            "unchanged": report.unchanged,
        }

    return _import_page(
        request,
        title=_("Import the catalog"),
        run=run,
        done_url="backoffice:catalog",
        help_text=_(
            "A JSON or XLSX file in the motcua catalog format (see Export). A changed procedure "
            "gets a new version; nothing is imported if any item is wrong."
        ),
    )


def _json_document(data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DomainError(_("The file is neither JSON nor XLSX."), code="bad_file") from exc


@staff_required(*ADMIN)
def catalog_export_view(request: HttpRequest, fmt: str) -> HttpResponse:
    document = catalog_export()
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "xlsx":
        response = HttpResponse(
            catalog_to_xlsx(document), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        response = HttpResponse(
            json.dumps(document, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="motcua-catalog-{stamp}.{fmt}"'
    return response
