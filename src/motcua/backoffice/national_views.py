"""Back-office page of the national public-service portal's pull side (Cổng DVC quốc gia): the last pulls,
the dossiers taken in, those that could not be (with the reason, and a retry), and "pull now"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.backoffice.access import staff_required
from motcua.identity.constants import Role
from motcua.integrations.intake_models import IntakeStatus, NationalIntake, NationalPull, PullKind
from motcua.integrations.intake_services import national_catalog_pull, national_intake_pull, national_intake_retry

PAGE_SIZE = 50
RECENT = 10


def _last_catalog_pull() -> NationalPull | None:
    return NationalPull.objects.filter(kind=PullKind.CATALOG, ok=True).first()


@staff_required(Role.ADMINISTRATOR)
def national_portal(request: HttpRequest) -> HttpResponse:
    failed = Paginator(
        NationalIntake.objects.filter(status=IntakeStatus.FAILED).order_by("-first_seen_at", "-id"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    imported = NationalIntake.objects.filter(status=IntakeStatus.IMPORTED).select_related("dossier__procedure")
    catalog_pull = _last_catalog_pull()
    details = catalog_pull.details if catalog_pull else {}
    drafts = details.get("drafts") or {}
    # The drafts that pull made, each linked to its review page (the catalog's admin: publish or edit).
    draft_rows = [(code, _("new procedure"), drafts.get(code)) for code in details.get("created") or []] + [
        (code, _("changed"), drafts.get(code)) for code in details.get("changed") or []
    ]
    context: dict[str, Any] = {
        "pulls": NationalPull.objects.select_related("actor")[:RECENT],
        "failed": failed,
        "page": failed,
        "imported": imported.order_by("-imported_at", "-id")[:RECENT],
        "imported_total": imported.count(),
        "catalog_pull": catalog_pull,
        "draft_rows": draft_rows,
        "query": "",
    }
    return render(request, "backoffice/national/portal.html", context)


@require_POST
@staff_required(Role.ADMINISTRATOR)
def national_pull_now(request: HttpRequest, kind: str) -> HttpResponse:
    if kind == PullKind.DOSSIERS:
        pull = national_intake_pull(actor=request.user)
        summary = _("Dossiers pulled: %(imported)d imported, %(failed)d could not be imported.") % {
            "imported": pull.counts.get("imported", 0),
            "failed": pull.counts.get("failed", 0),
        }
    elif kind == PullKind.CATALOG:
        pull = national_catalog_pull(actor=request.user)
        summary = _(
            "Catalog pulled: %(created)d new and %(changed)d changed procedures arrived as drafts for review; "
            "%(unchanged)d unchanged."
        ) % {key: pull.counts.get(key, 0) for key in ("created", "changed", "unchanged")}
    else:
        raise Http404
    if pull.ok:
        messages.success(request, summary)
    else:
        messages.error(request, _("The national portal could not be reached: %(error)s") % {"error": pull.error})
    return redirect("backoffice:national-portal")


@require_POST
@staff_required(Role.ADMINISTRATOR)
def national_intake_retry_view(request: HttpRequest, intake_id: int) -> HttpResponse:
    intake = NationalIntake.objects.filter(pk=intake_id, status=IntakeStatus.FAILED).first()
    if intake is None:
        raise Http404
    if national_intake_retry(actor=request.user, intake_id=intake.pk) == "imported":
        messages.success(request, _("Dossier %(code)s is imported.") % {"code": intake.national_code})
    else:
        messages.error(request, _("Dossier %(code)s still cannot be imported.") % {"code": intake.national_code})
    return redirect("backoffice:national-portal")
