"""Staff download of a dossier's official slips (receipt and appointment, refusal, supplement guide)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from motcua.backoffice.access import staff_required
from motcua.dossiers.slips import slip_file


@require_GET
@staff_required()
@never_cache  # personal data: no shared or browser cache keeps a copy
def dossier_slip(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    found = slip_file(request.user, code, kind)
    if found is None:
        raise Http404
    pdf, filename = found
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
