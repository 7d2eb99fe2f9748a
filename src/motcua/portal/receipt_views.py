"""The applicant's download of an e-receipt of their own dossier (payments.receipts)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from motcua.payments.receipts import receipt_file
from motcua.portal.dossier_views import applicant_required


@require_GET
@applicant_required  # staff print receipts in the back office
@never_cache  # personal data: no shared or browser cache keeps a copy
def payment_receipt(request: HttpRequest, code: str, reference: str) -> HttpResponse:
    found = receipt_file(request.user, code, reference, staff=False)
    if found is None:
        raise Http404
    pdf, filename = found
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
