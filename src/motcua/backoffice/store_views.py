"""Staff and the data store: an applicant's store, reached only through a dossier the staff member sees
(every read audited), and the digitization of earlier paper results (backfile)."""

from __future__ import annotations

from typing import IO, Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from motcua.backoffice.access import staff_required
from motcua.backoffice.store_forms import BackfileForm
from motcua.core.exceptions import DomainError
from motcua.core.form_errors import add_domain_errors
from motcua.documents.models import DigitizedDocument
from motcua.documents.selectors import owner_documents, store_through_dossier
from motcua.documents.services import Backfile, backfile_digitize, data_store_read_record
from motcua.identity.constants import Role

PAGE_SIZE = 25


def document_file(document: DigitizedDocument) -> FileResponse:
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.download_name,
        content_type=document.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _through(request: HttpRequest, code: str) -> Any:
    found = store_through_dossier(request.user, code)
    if found is None:
        raise Http404  # no dossier of the owner that this staff member sees: the store is not revealed
    return found


@never_cache
@staff_required()
def dossier_data_store(request: HttpRequest, code: str) -> HttpResponse:
    dossier, store = _through(request, code)
    page = Paginator(owner_documents(store.owner_id_number).order_by("-digitized_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    data_store_read_record(actor=request.user, store=store, dossier=dossier, document=None)
    today = timezone.localdate()
    rows = [(d, d.valid_until is not None and d.valid_until < today) for d in page.object_list]
    context = {"dossier": dossier, "store": store, "page": page, "rows": rows, "query": ""}
    return render(request, "backoffice/data_store.html", context)


@never_cache
@staff_required()
def dossier_data_store_document(request: HttpRequest, code: str, document_code: str) -> Any:
    dossier, store = _through(request, code)
    document = DigitizedDocument.objects.filter(store=store, code=document_code).first()
    if document is None:
        raise Http404
    data_store_read_record(actor=request.user, store=store, dossier=dossier, document=document)
    return document_file(document)


@staff_required(Role.DESK_OFFICER, Role.CLERK)
def backfile(request: HttpRequest) -> HttpResponse:
    """Digitize a result issued before the system, on paper and still in force, into its owner's store."""
    form = BackfileForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return render(request, "backoffice/backfile.html", {"form": form})
    if not form.is_valid():
        return render(request, "backoffice/backfile.html", {"form": form}, status=400)
    data = form.cleaned_data
    upload = data["file"]
    paper = Backfile(
        owner_id_number=data["owner_id_number"],
        owner_name=data["owner_name"],
        owner_kind=data["owner_kind"],
        result_number=data["result_number"],
        type_code=data["type_code"],
        name=data["name"],
        issuer=data["issuer"],
        issued_on=data["issued_on"],
        valid_until=data["valid_until"],
        file_name=upload.name or "",
        stream=cast(IO[bytes], upload),
        size=upload.size or 0,
    )
    try:
        document = backfile_digitize(actor=request.user, paper=paper)
    except DomainError as error:
        add_domain_errors(form, error)
        return render(request, "backoffice/backfile.html", {"form": form}, status=error.status)
    messages.success(request, _("Digitized into the owner's data store as %(code)s.") % {"code": document.code})
    return redirect("backoffice:backfile")
