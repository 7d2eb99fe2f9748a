"""Public feedback pages (phản ánh, kiến nghị): send one, look it up by its code, read the published answers.

No login is needed; a signed-in citizen finds their name, phone and e-mail filled in. Each page of the form
carries a random token that is the submission's idempotency key (a double tap records one feedback), and
anonymous senders are throttled per client address (core.ratelimit)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from motcua.core.exceptions import DomainError
from motcua.core.form_errors import add_domain_errors
from motcua.core.ratelimit import address_key, failures_exhausted
from motcua.dossiers.staging import form_token_new, form_token_of
from motcua.feedback.constants import FeedbackChannel, FeedbackStatus
from motcua.feedback.selectors import feedback_by_code, feedback_sent_with, published_feedback
from motcua.feedback.services import feedback_submit
from motcua.identity.selectors import is_staff_member
from motcua.portal.feedback_forms import FeedbackForm, FeedbackLookupForm, PublishedSearchForm

PAGE_SIZE = 10
SENT_KEY = "feedback_sent"  # the codes this session sent (the "sent" page is theirs only)


def _sending_blocked(request: HttpRequest, *, count: bool = False) -> bool:
    """Anonymous feedback per client address (a signed-in sender is known and not throttled here)."""
    if request.user.is_authenticated:
        return False
    limits = [(address_key, settings.FEEDBACK_RATE_LIMIT)]
    return failures_exhausted(request, group="feedback-send", limits=limits, count_failure=count)


def _lookup_blocked(request: HttpRequest, *, count_failure: bool = False) -> bool:
    limits = [(address_key, settings.TRACKING_RATE_LIMIT)]
    return failures_exhausted(
        request, group="feedback-lookup", limits=limits, count_failure=count_failure, method="GET"
    )


def _prefill(user: Any) -> dict[str, str]:
    if not user.is_authenticated:
        return {}
    return {"sender_name": user.full_name, "sender_phone": user.phone or "", "sender_email": user.email or ""}


def _sent(request: HttpRequest, code: str) -> HttpResponse:
    # Only this browser may open the page of the code it was given: codes are not listed for others.
    request.session[SENT_KEY] = [*request.session.get(SENT_KEY, [])[-9:], code]
    return redirect("portal:feedback-sent", code=code)


@never_cache
def feedback_send(request: HttpRequest) -> HttpResponse:
    if is_staff_member(request.user):
        raise PermissionDenied  # staff enter feedback they receive in the back office
    status = 200
    if request.method == "POST":
        token = form_token_of(request.POST.get("form_token")) or form_token_new()
        if (done := feedback_sent_with(token)) is not None:
            return _sent(request, done.code)  # the same page sent again (a double tap, a resent request)
        form = FeedbackForm(request.POST)
        if _sending_blocked(request):
            return render(
                request, "portal/feedback/send.html", {"form": form, "form_token": token, "blocked": True}, status=429
            )
        if form.is_valid():
            actor = request.user if request.user.is_authenticated else None
            try:
                feedback = feedback_submit(
                    actor=actor, channel=FeedbackChannel.PORTAL, data=form.feedback_input(), idempotency_key=token
                )
            except DomainError as exc:
                add_domain_errors(form, exc)
                status = 400
            else:
                _sending_blocked(request, count=True)
                return _sent(request, feedback.code)
        else:
            status = 400
    else:
        token = form_token_new()
        form = FeedbackForm(initial=_prefill(request.user))
    return render(request, "portal/feedback/send.html", {"form": form, "form_token": token}, status=status)


@never_cache
def feedback_sent(request: HttpRequest, code: str) -> HttpResponse:
    """The code to keep and the day the answer is due (what the lookup page shows of it, nothing more)."""
    feedback = feedback_by_code(code) if code in request.session.get(SENT_KEY, []) else None
    if feedback is None:
        raise Http404
    return render(request, "portal/feedback/sent.html", {"feedback": feedback})


@never_cache
def feedback_lookup(request: HttpRequest) -> HttpResponse:
    """Status, deadline and the answer once given, for whoever holds the code (the sender's receipt).
    The sender's own details are not shown; unknown codes are throttled per address like dossier codes."""
    context: dict[str, Any] = {"form": FeedbackLookupForm(), "feedback": None, "not_found": False}
    if "code" not in request.GET:
        return render(request, "portal/feedback/lookup.html", context)
    if _lookup_blocked(request):
        return render(request, "portal/feedback/lookup.html", {**context, "blocked": True}, status=429)
    form = FeedbackLookupForm(request.GET)
    context["form"] = form
    if not form.is_valid():
        return render(request, "portal/feedback/lookup.html", context, status=400)
    feedback = feedback_by_code(form.cleaned_data["code"])
    if feedback is None:
        _lookup_blocked(request, count_failure=True)
        context["not_found"] = True
        return render(request, "portal/feedback/lookup.html", context)
    context["feedback"] = feedback
    context["closed"] = feedback.status != FeedbackStatus.OPEN
    return render(request, "portal/feedback/lookup.html", context)


def feedback_published(request: HttpRequest) -> HttpResponse:
    """Published answers: question, answer, unit and dates; never the sender."""
    form = PublishedSearchForm(request.GET or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    rows = published_feedback(search=filters.get("q") or "", agency=filters.get("unit"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in (("q", request.GET.get("q", "")), ("unit", request.GET.get("unit", ""))) if v})
    return render(request, "portal/feedback/published.html", {"form": form, "page": page, "query": query})
