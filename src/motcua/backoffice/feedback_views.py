"""Back-office feedback pages: the list of the units one handles, a feedback's page with its actions
(answer, decline, transfer, publish), and the form for feedback received by telephone, letter, e-mail or at
the desk. Every write is a ``feedback.services`` call; reads go through ``feedback.selectors``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from motcua.backoffice.access import staff_required
from motcua.backoffice.feedback_forms import (
    AnswerForm,
    DeclineForm,
    FeedbackFilterForm,
    StaffFeedbackForm,
    TransferForm,
)
from motcua.core.exceptions import DomainError
from motcua.core.form_errors import add_domain_errors
from motcua.feedback.constants import FeedbackStatus
from motcua.feedback.models import Feedback
from motcua.feedback.selectors import (
    FeedbackQuery,
    feedback_counts,
    feedback_filter,
    feedback_for,
    feedback_urgency,
    feedback_visible_to,
)
from motcua.feedback.services import (
    HANDLING_ROLES,
    PUBLISHING_ROLES,
    feedback_answer,
    feedback_publish,
    feedback_submit,
    feedback_transfer,
)
from motcua.identity.selectors import covers
from motcua.workflow.inbox import URGENCY_LABELS

PAGE_SIZE = 25


@dataclass(frozen=True)
class Row:
    feedback: Feedback
    urgency: str

    @property
    def label(self) -> str:
        return str(URGENCY_LABELS[self.urgency]) if self.urgency != "none" else ""


@staff_required(*HANDLING_ROLES)
def feedback_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    form = FeedbackFilterForm(request.GET or None, actor=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    query = FeedbackQuery(
        status=data.get("status", ""),
        agency=data.get("unit"),
        urgency=data.get("urgency", ""),
        search=data.get("q", ""),
    )
    scoped = feedback_visible_to(request.user)
    page = Paginator(feedback_filter(scoped, query, now), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [Row(f, feedback_urgency(f, now)) for f in page.object_list]
    kept = urlencode([(k, str(v)) for k, v in request.GET.items() if k != "page" and v])
    context = {"form": form, "page": page, "rows": rows, "counts": feedback_counts(scoped, now), "query": kept}
    return render(request, "backoffice/feedback/list.html", context)


def _detail_context(request: HttpRequest, feedback: Feedback, **forms: Any) -> dict[str, Any]:
    is_open = feedback.status == FeedbackStatus.OPEN
    return {
        "feedback": feedback,
        "urgency": Row(feedback, feedback_urgency(feedback, timezone.now())),
        "transfers": list(feedback.transfers.select_related("from_agency", "to_agency", "by")),
        "is_open": is_open,
        "can_publish": covers(request.user, PUBLISHING_ROLES, feedback.agency),
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "transfer_form": forms.get("transfer_form") or TransferForm(current=feedback.agency),
    }


ACTIONS = ("answer", "decline", "transfer", "publish", "unpublish")


@staff_required(*HANDLING_ROLES)
def feedback_detail(request: HttpRequest, code: str) -> HttpResponse:
    feedback = feedback_for(request.user, code)
    if feedback is None:
        raise Http404
    if request.method != "POST":
        return render(request, "backoffice/feedback/detail.html", _detail_context(request, feedback))
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        messages.error(request, _("Unknown action."))
        return redirect("backoffice:feedback-detail", code=feedback.code)
    form: Any = None
    done = ""
    try:
        if action == "answer":
            form = AnswerForm(request.POST)
            if form.is_valid():
                feedback_answer(actor=request.user, feedback=feedback, answer=form.cleaned_data["answer"])
                done = _("The answer has been recorded.")
        elif action == "decline":
            form = DeclineForm(request.POST)
            if form.is_valid():
                feedback_answer(actor=request.user, feedback=feedback, answer=form.cleaned_data["reason"], decline=True)
                done = _("The feedback has been declined.")
        elif action == "transfer":
            form = TransferForm(request.POST, current=feedback.agency)
            if form.is_valid():
                to = form.cleaned_data["to_agency"]
                feedback_transfer(actor=request.user, feedback=feedback, to_agency=to, note=form.cleaned_data["note"])
                messages.success(request, _("The feedback has been transferred to %(unit)s.") % {"unit": to.name})
                # The actor may not cover the new unit: back to the list rather than a page they cannot see.
                if feedback_for(request.user, feedback.code) is None:
                    return redirect("backoffice:feedback-list")
                return redirect("backoffice:feedback-detail", code=feedback.code)
        else:
            feedback_publish(actor=request.user, feedback=feedback, publish=action == "publish")
            done = (
                _("The answer is published on the portal.")
                if action == "publish"
                else _("The answer is no longer published.")
            )
    except DomainError as exc:
        if form is None:
            messages.error(request, str(exc.message))
            return redirect("backoffice:feedback-detail", code=feedback.code)
        add_domain_errors(form, exc)
    if done:
        messages.success(request, done)
        return redirect("backoffice:feedback-detail", code=feedback.code)
    context = _detail_context(request, feedback, **{f"{action}_form": form})
    context.update(failed=action, failed_form=form)
    return render(request, "backoffice/feedback/detail.html", context, status=400)


@staff_required(*HANDLING_ROLES)
def feedback_enter(request: HttpRequest) -> HttpResponse:
    """Feedback received by telephone, letter, e-mail or at the desk, for a unit the officer handles."""
    status = 200
    if request.method == "POST":
        form = StaffFeedbackForm(request.POST, actor=request.user)
        if form.is_valid():
            try:
                feedback = feedback_submit(
                    actor=request.user,
                    channel=form.cleaned_data["channel"],
                    data=form.feedback_input(),
                    received_at=form.cleaned_data["received_at"],
                )
            except DomainError as exc:
                add_domain_errors(form, exc)
                status = 400
            else:
                due = timezone.localtime(feedback.due_at).strftime("%d/%m/%Y %H:%M")
                messages.success(
                    request,
                    _("Feedback %(code)s recorded; the answer is due by %(due)s.")
                    % {"code": feedback.code, "due": due},
                )
                return redirect("backoffice:feedback-detail", code=feedback.code)
        else:
            status = 400
    else:
        form = StaffFeedbackForm(
            actor=request.user, initial={"received_at": timezone.localtime().replace(second=0, microsecond=0)}
        )
    return render(request, "backoffice/feedback/enter.html", {"form": form}, status=status)
