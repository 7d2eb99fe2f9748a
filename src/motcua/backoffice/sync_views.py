"""Back office: the national portal sync's dead letters. An administrator sees, resends one, or resends all
of a dossier once the cause is fixed; a supervisor may read."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.backoffice.access import staff_required
from motcua.core.exceptions import DomainError
from motcua.core.identifiers import mask
from motcua.identity.constants import Role
from motcua.identity.selectors import has_role
from motcua.integrations.national import wire
from motcua.integrations.national.sync import sync_dossier_resend, sync_message_resend
from motcua.integrations.national.sync_selectors import (
    dead_letters_visible_to,
    dossier_messages,
    sync_counts,
    sync_message_for,
)

PAGE_SIZE = 50


def masked(payload: Any) -> Any:
    """The payload as shown: personal ID, phone and e-mail keep their last characters (ARCHITECTURE.md §4.8)."""
    if not isinstance(payload, dict):
        return payload
    data = payload.get(wire.ENVELOPE["data"])
    if not isinstance(data, dict):
        return payload
    hidden = {wire.DOSSIER_FIELDS[name] for name in ("applicant_id_number", "applicant_phone", "applicant_email")}
    shown = {key: mask(str(value), keep=3) if key in hidden and value else value for key, value in data.items()}
    return {**payload, wire.ENVELOPE["data"]: shown}


@staff_required(Role.ADMINISTRATOR, Role.SUPERVISOR)
def dead_letters(request: HttpRequest) -> HttpResponse:
    page = Paginator(dead_letters_visible_to(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/sync/dead_letters.html",
        {"page": page, "counts": sync_counts(request.user), "can_resend": has_role(request.user, [Role.ADMINISTRATOR])},
    )


@staff_required(Role.ADMINISTRATOR, Role.SUPERVISOR)
def dead_letter(request: HttpRequest, pk: int) -> HttpResponse:
    message = sync_message_for(request.user, pk)
    if message is None:
        raise Http404
    payload = json.dumps(masked(message.payload), ensure_ascii=False, indent=2) if message.payload is not None else ""
    return render(
        request,
        "backoffice/sync/dead_letter.html",
        {
            "letter": message,
            "payload": payload,
            "chain": dossier_messages(message),
            "can_resend": has_role(request.user, [Role.ADMINISTRATOR]),
        },
    )


@require_POST
@staff_required(Role.ADMINISTRATOR)
def dead_letter_resend(request: HttpRequest, pk: int) -> HttpResponse:
    message = sync_message_for(request.user, pk)
    if message is None:
        raise Http404
    try:
        if request.POST.get("scope") == "dossier":
            count = sync_dossier_resend(actor=request.user, dossier_id=message.dossier_id)
            messages.success(
                request,
                _("%(count)d messages of dossier %(code)s will be sent again.")
                % {"count": count, "code": message.dossier.code},
            )
        else:
            sync_message_resend(actor=request.user, message_pk=message.pk)
            messages.success(request, _("Message %(id)s will be sent again.") % {"id": message.message_id})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("backoffice:sync-dead-letters")
