"""The applicant's data store ("My documents"): their documents, downloads and share links; and the public
page a share link opens, until it expires or is revoked."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from motcua.core.exceptions import DomainError
from motcua.core.ratelimit import address_key, failures_exhausted
from motcua.documents.exceptions import ShareLinkClosed, ShareLinkNotFound
from motcua.documents.models import DigitizedDocument, ShareLink
from motcua.documents.selectors import my_document, my_documents, my_share_links, owner_id_for
from motcua.documents.services import share_link_create, share_link_open, share_link_revoke
from motcua.portal.dossier_views import applicant_required
from motcua.portal.store_forms import ShareForm

PAGE_SIZE = 20


def document_file(document: DigitizedDocument) -> FileResponse:
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.download_name,
        content_type=document.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def share_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("portal:share", kwargs={"token": token}))


def _store_page(
    request: HttpRequest, *, new_link: dict[str, Any] | None = None, form_error: str = "", status: int = 200
) -> HttpResponse:
    page = Paginator(my_documents(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    documents = list(page.object_list)
    now = timezone.now()
    links: dict[int, list[ShareLink]] = {}
    for link in my_share_links(request.user, document_ids=[d.pk for d in documents]):
        if link.is_open(now):
            links.setdefault(link.document_id, []).append(link)
    today = timezone.localdate(now)
    rows = [
        {
            "document": d,
            "expired": d.valid_until is not None and d.valid_until < today,
            "links": links.get(d.pk, []),
        }
        for d in documents
    ]
    context = {
        "page": page,
        "rows": rows,
        "query": "",
        "has_owner": bool(owner_id_for(request.user)),
        "share_form": ShareForm(),
        "new_link": new_link,
        "form_error": form_error,
    }
    return render(request, "portal/my_documents.html", context, status=status)


@never_cache
@require_GET
@applicant_required
def my_documents_page(request: HttpRequest) -> HttpResponse:
    return _store_page(request)


@never_cache
@require_GET
@applicant_required
def my_document_download(request: HttpRequest, code: str) -> FileResponse:
    """The owner's own stored file, only through this check (stored files have no public address)."""
    document = my_document(request.user, code)
    if document is None:
        raise Http404
    return document_file(document)


@never_cache
@require_POST
@applicant_required
def my_document_share(request: HttpRequest, code: str) -> HttpResponse:
    """Make a link; its address is shown on the answer page once (only the token's digest is kept)."""
    form = ShareForm(request.POST)
    if not form.is_valid():
        return _store_page(request, form_error=_("Choose 1 hour, 1 day or 7 days."), status=400)
    try:
        link, token = share_link_create(
            actor=request.user,
            owner_id_number=owner_id_for(request.user),
            code=code,
            duration=form.cleaned_data["duration"],
        )
    except DomainError as error:
        if error.status == 404:
            raise Http404 from error
        return _store_page(request, form_error=str(error.message), status=error.status)
    new_link = {"url": share_url(request, token), "link": link}
    return _store_page(request, new_link=new_link, status=201)


@require_POST
@applicant_required
def my_share_revoke(request: HttpRequest, link_id: int) -> HttpResponse:
    try:
        link = share_link_revoke(actor=request.user, owner_id_number=owner_id_for(request.user), link_id=link_id)
    except ShareLinkNotFound as error:
        raise Http404 from error
    messages.success(request, _("The share link of %(code)s no longer works.") % {"code": link.document.code})
    return redirect("portal:my-documents")


# --- the public page of a share link --------------------------------------------------------------------


def _share_blocked(request: HttpRequest, *, count_failure: bool = False) -> bool:
    """Unknown tokens tried from one address are counted; past the allowance that address is refused
    every share page for a while, so tokens cannot be guessed (they have 256 random bits anyway)."""
    return failures_exhausted(
        request,
        group="share-link",
        limits=[(address_key, settings.SHARE_LINK_RATE_LIMIT)],
        count_failure=count_failure,
        method="GET",
    )


def _shared(request: HttpRequest, token: str) -> ShareLink | HttpResponse:
    if _share_blocked(request):
        return render(request, "portal/share_closed.html", {"blocked": True}, status=429)
    try:
        return share_link_open(token)
    except ShareLinkNotFound:
        _share_blocked(request, count_failure=True)
        return render(request, "portal/share_closed.html", {"unknown": True}, status=404)
    except ShareLinkClosed:
        return render(request, "portal/share_closed.html", {}, status=410)


@never_cache
@require_GET
def share_page(request: HttpRequest, token: str) -> HttpResponse:
    found = _shared(request, token)
    if isinstance(found, HttpResponse):
        return found
    return render(request, "portal/share.html", {"link": found, "document": found.document, "token": token})


@never_cache
@require_GET
def share_download(request: HttpRequest, token: str) -> HttpResponse | FileResponse:
    found = _shared(request, token)
    if isinstance(found, HttpResponse):
        return found
    return document_file(found.document)
