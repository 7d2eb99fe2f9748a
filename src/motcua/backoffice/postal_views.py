"""The desk's side of the postal return: order the carrier's pickup again after a refusal."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.backoffice.access import staff_required
from motcua.core.exceptions import DomainError
from motcua.identity.constants import Role
from motcua.integrations.postal_services import shipment_retry


@require_POST
@staff_required(Role.DESK_OFFICER)
def dossier_shipment_retry(request: HttpRequest, code: str) -> HttpResponse:
    try:
        shipment = shipment_retry(actor=request.user, code=code)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        shipment.refresh_from_db()  # the order ran once the retry committed (a task)
        if shipment.tracking_number:
            messages.success(
                request, _("Pickup ordered: tracking number %(number)s.") % {"number": shipment.tracking_number}
            )
        else:
            messages.info(request, _("The pickup is being ordered again."))
    return redirect("backoffice:dossier", code=code)
