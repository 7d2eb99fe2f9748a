"""The applicant's download of their own dossier's slips (receipt and appointment, refusal, supplement guide)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from motcua.dossiers.selectors import dossier_for
from motcua.dossiers.slips import SlipKind, SlipNotAvailable, slip_pdf
from motcua.portal.dossier_views import applicant_required


@require_GET
@applicant_required  # like the other "My dossiers" pages: staff print slips in the back office
@never_cache  # personal data: no shared or browser cache keeps a copy
def my_dossier_slip(request: HttpRequest, code: str, kind: str) -> HttpResponse:
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
