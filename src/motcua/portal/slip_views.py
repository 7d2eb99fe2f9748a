"""The applicant's download of their own dossier's slips (receipt and appointment, refusal, supplement guide)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from motcua.dossiers.slips import slip_file
from motcua.portal.dossier_views import applicant_required


@require_GET
@applicant_required  # like the other "My dossiers" pages: staff print slips in the back office
@never_cache  # personal data: no shared or browser cache keeps a copy
def my_dossier_slip(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    found = slip_file(request.user, code, kind)
    if found is None:
        raise Http404
    pdf, filename = found
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
