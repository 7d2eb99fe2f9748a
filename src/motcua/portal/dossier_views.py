"""Citizen-side dossier pages: public tracking by code + 4 digits, and "My dossiers" for applicants."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import IO, Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from motcua.core.exceptions import DomainError
from motcua.core.ratelimit import Backoff, address_key, failures_exhausted
from motcua.dossiers.access import dossier_document_for
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_for, dossiers_visible_to
from motcua.dossiers.services import Upload
from motcua.dossiers.slips import SLIP_LABELS, available_slips
from motcua.dossiers.tracking import dossier_track, masked_name
from motcua.identity.selectors import is_staff_member
from motcua.notifications.selectors import last_sms_sent_at
from motcua.portal.dossier_forms import SupplementForm, TrackForm, WithdrawForm
from motcua.workflow.access import result_shown_to_applicant
from motcua.workflow.actions import allowed_action_names
from motcua.workflow.constants import Action
from motcua.workflow.services import dossier_submit_supplement, dossier_withdraw
from motcua.workflow.timeline import citizen_timeline, returned_at, supplement_items

PAGE_SIZE = 20
# Failed look-ups allowed per client address: enough for typing mistakes, too few to guess codes.

View = Callable[..., HttpResponseBase]


# --- public tracking --------------------------------------------------------------------------------


def _code_backoff() -> Backoff:
    return Backoff(group="tracking-code", free=settings.TRACKING_CODE_FAILURES, pause=60, cap=3600)


def _tracking_blocked(request: HttpRequest, *, count_failure: bool = False) -> bool:
    """True once this client address has used up its failed look-ups, or while the code typed pauses
    after too many failures from anywhere (guessing its 4 digits). Only failures are counted; a code
    that does not exist is counted like one that does."""
    code = str(request.POST.get("code", "")).strip().upper()[:64]
    if count_failure:
        _code_backoff().fail(code)
    limits = [(address_key, settings.TRACKING_RATE_LIMIT)]
    exhausted = failures_exhausted(request, group="tracking", limits=limits, count_failure=count_failure)
    return exhausted or _code_backoff().retry_after(code) > 0


def _track_page(request: HttpRequest, *, code: str = "") -> HttpResponse:
    blank = TrackForm(initial={"code": code})
    context: dict[str, Any] = {"form": blank, "dossier": None, "not_found": False}
    if request.method != "POST":
        return render(request, "portal/track.html", context)
    if _tracking_blocked(request):
        context["blocked"] = True
        return render(request, "portal/track.html", context, status=429)
    form = TrackForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/track.html", {**context, "form": form}, status=400)
    dossier = dossier_track(form.cleaned_data["code"], form.cleaned_data["factor"])
    if dossier is None:
        _tracking_blocked(request, count_failure=True)
        # The same page whether the code or the digits were wrong; the typed values are not echoed.
        context["not_found"] = True
        return render(request, "portal/track.html", context)
    context.update(
        dossier=dossier,
        applicant=masked_name(dossier.applicant_name),
        timeline=citizen_timeline(dossier),
    )
    return render(request, "portal/track.html", context)


@never_cache
def track(request: HttpRequest) -> HttpResponse:
    return _track_page(request)


@never_cache
def track_dossier(request: HttpRequest, code: str) -> HttpResponse:
    """The address the QR code on the receipt encodes: the form with the code already filled in."""
    return _track_page(request, code=code)


# --- "My dossiers" -------------------------------------------------------------------------------------


def applicant_required(view: View) -> View:
    """Anonymous → login page; staff → 403 (they work in the back office)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if is_staff_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@applicant_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    qs = dossiers_visible_to(request.user).order_by("-submitted_at", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/my_dossiers.html", {"page": page, "query": ""})


def _own_dossier(request: HttpRequest, code: str) -> Dossier:
    dossier = dossier_for(request.user, code)
    if dossier is None:
        raise Http404
    return dossier


def _dossier_page(
    request: HttpRequest,
    dossier: Dossier,
    *,
    withdraw_form: WithdrawForm | None = None,
    supplement_form: SupplementForm | None = None,
    status: int = 200,
) -> HttpResponse:
    done = {event.action for event in dossier.events.all()}  # prefetched by dossier_for
    offered = allowed_action_names(
        request.user, dossier, done_before=done, among=(Action.WITHDRAW, Action.SUBMIT_SUPPLEMENT)
    )
    supplement_open = Action.SUBMIT_SUPPLEMENT in offered
    context = {
        "dossier": dossier,
        "documents": list(dossier.documents.all()),
        "timeline": citizen_timeline(dossier),
        "last_sms_at": last_sms_sent_at(dossier.pk),
        "returned": returned_at(dossier),
        # workflow.actions decides; the page only offers what the writer would accept.
        "can_withdraw": Action.WITHDRAW in offered,
        "withdraw_form": withdraw_form or WithdrawForm(),
        "supplement_open": supplement_open,
        "supplement_items": supplement_items(dossier) if supplement_open else [],
        "supplement_form": supplement_form or SupplementForm(),
        "slips": [(kind.value, SLIP_LABELS[kind]) for kind in available_slips(dossier)],
        "result": result_shown_to_applicant(dossier),
    }
    return render(request, "portal/my_dossier.html", context, status=status)


def _refused(form: Form, error: DomainError) -> int:
    """Put a refused action's message (and its per-field details) on the form; return the status."""
    form.add_error(None, str(error.message))
    if isinstance(error.details, dict):
        for problems in error.details.values():
            for problem in problems if isinstance(problems, list) else [problems]:
                form.add_error(None, str(problem))
    return error.status


@applicant_required
def my_dossier(request: HttpRequest, code: str) -> HttpResponse:
    return _dossier_page(request, _own_dossier(request, code))


@require_POST
@applicant_required
def my_dossier_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _own_dossier(request, code)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _dossier_page(request, dossier, withdraw_form=form, status=400)
    try:
        dossier_withdraw(actor=request.user, code=dossier.code, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
    except DomainError as error:
        status = _refused(form, error)
        return _dossier_page(request, _own_dossier(request, code), withdraw_form=form, status=status)
    messages.success(request, _("The dossier has been withdrawn."))
    return redirect("portal:my-dossier", code=dossier.code)


@require_POST
@applicant_required
def my_dossier_supplement(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _own_dossier(request, code)
    form = SupplementForm(request.POST, request.FILES)
    if not form.is_valid():
        return _dossier_page(request, dossier, supplement_form=form, status=400)
    uploads = [
        Upload(name=f.name or "", stream=cast(IO[bytes], f), size=f.size or 0) for f in form.cleaned_data["attachments"]
    ]
    try:
        dossier_submit_supplement(
            actor=request.user,  # type: ignore[arg-type]
            code=dossier.code,
            uploads=uploads,
            note=form.cleaned_data["note"],
        )
    except DomainError as error:
        status = _refused(form, error)
        return _dossier_page(request, _own_dossier(request, code), supplement_form=form, status=status)
    messages.success(request, _("Thank you: the documents were sent and the processing time runs again."))
    return redirect("portal:my-dossier", code=dossier.code)


@applicant_required
def my_dossier_document(request: HttpRequest, code: str, document_id: int) -> FileResponse:
    """The applicant's own file, only through this permission check (files have no public address)."""
    document = dossier_document_for(request.user, code, document_id)
    if document is None:
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name or f"document-{document.pk}",
        content_type=document.content_type or "application/octet-stream",
    )
