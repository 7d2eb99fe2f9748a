"""The applicant's download of their own dossier's signed electronic result."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from motcua.portal.dossier_views import applicant_required
from motcua.workflow.access import result_for_applicant
from motcua.workflow.results import result_file


@require_GET
@applicant_required  # staff download results in the back office, where the read is audited
@never_cache  # personal data: no shared or browser cache keeps a copy
def my_dossier_result(request: HttpRequest, code: str) -> HttpResponse:
    result = result_for_applicant(request.user, code)
    if result is None:
        raise Http404
    response = HttpResponse(result_file(result), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{code}-ket-qua.pdf"'
    return response
