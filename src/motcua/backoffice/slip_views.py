"""Staff download of a dossier's official slips (receipt and appointment, refusal, supplement guide)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from motcua.backoffice.access import staff_required
from motcua.dossiers.selectors import dossier_for
from motcua.dossiers.slips import SlipKind, SlipNotAvailable, slip_pdf


@require_GET
@staff_required()
@never_cache  # personal data: no shared or browser cache keeps a copy
def dossier_slip(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    dossier = dossier_for(request.user, code)
    if dossier is None:
        raise Http404
    try:
        pdf = slip_pdf(dossier, kind)
    except SlipNotAvailable:
        # The dossier has not been through the event the slip records (or the kind is unknown).
        raise Http404 from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{SlipKind(kind).value}-{dossier.code}.pdf"'
    return response
