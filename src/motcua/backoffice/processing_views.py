"""Processing pages: the inbox, the dossier processing page with its actions, the result download.

Each action view parses its form, fetches the dossier through the scoped selector, calls one workflow
service and redirects; a refusal re-renders the page with the service's message and changes nothing.
Which forms are offered is asked of the transition table's guard, never decided here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from motcua.agencies.models import Agency
from motcua.backoffice.access import staff_required
from motcua.backoffice.dossier_views import document_download
from motcua.backoffice.processing_forms import (
    ACTION_FORMS,
    PROCESSING_ACTIONS,
    ActionChoices,
    InboxFilterForm,
    StepFormSet,
    processing_form,
)
from motcua.catalog.process_selectors import offering_managed, offerings_managed, processes_in_force, step_units
from motcua.catalog.processes import (
    InvalidProcess,
    StepPlan,
    default_steps,
    process_in_force,
    process_publish,
    process_steps,
    total_hours,
)
from motcua.core.exceptions import DomainError
from motcua.core.form_errors import add_domain_errors
from motcua.core.identifiers import mask
from motcua.documents.certification import is_certified_copy_procedure
from motcua.dossiers.models import Consultation, Dossier, DossierDocument, DossierEvent
from motcua.dossiers.services import Upload
from motcua.identity.constants import Role
from motcua.notifications.selectors import dossier_messages
from motcua.workflow import processing, services
from motcua.workflow.access import (
    document_for_staff,
    dossier_for_staff,
    dossier_result,
    result_for_staff,
    result_read_record,
)
from motcua.workflow.actions import allowed_action_names
from motcua.workflow.constants import Action
from motcua.workflow.inbox import (
    URGENCY_LABELS,
    InboxQuery,
    Urgency,
    consultations_for,
    inbox,
    next_step_people,
    urgency,
)
from motcua.workflow.results import form_answers, result_file, result_preview
from motcua.workflow.steps import current_step
from motcua.workflow.timeline import TimelineEntry, dossier_timeline

PAGE_SIZE = 25
# Who has an inbox: the roles that hold process steps (and answer consultations).
INBOX_ROLES = (Role.DESK_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER, Role.CLERK)
CONSULTATIONS = "consultations"
SCOPES = (
    ("mine", gettext_lazy("Mine")),
    ("pool", gettext_lazy("To take")),
    ("unit", gettext_lazy("My units")),
    (CONSULTATIONS, gettext_lazy("Consultations")),
)
# Buttons that close or reverse something are shown in red.
DANGER = frozenset({Action.SEND_BACK, Action.STOP, Action.REJECT})
ACTION_HELP: dict[str, Any] = {
    Action.TAKE: gettext_lazy("Take the dossier from the unit's pool: you become its holder."),
    Action.FORWARD: gettext_lazy("Hand the dossier to the next step of the process."),
    Action.SEND_BACK: gettext_lazy("Return the dossier to the previous step and the person who held it."),
    Action.REQUEST_SUPPLEMENT: gettext_lazy(
        "A supplement may be requested only once for a dossier; the processing time pauses until it arrives."
    ),
    Action.CONSULT: gettext_lazy("Ask other agencies for their opinion; the processing time keeps running."),
    Action.ANSWER_CONSULTATION: gettext_lazy("Your agency was asked for its opinion on this dossier."),
    Action.REQUEST_PAYMENT: gettext_lazy("The processing time pauses until the payment is confirmed."),
    Action.CONFIRM_PAYMENT: gettext_lazy("The payment was received: the processing time runs again."),
    Action.APPROVE: gettext_lazy(
        "The result is drawn up from the procedure's template (or the attached file taken) and signed with "
        "your certificate."
    ),
    Action.REJECT: gettext_lazy("A letter giving the reasons is drawn up and signed with your certificate."),
    Action.ISSUE_RESULT: gettext_lazy(
        "The number and date are written onto the signed result and the agency's signature is added; "
        "then it goes to the desk for return."
    ),
    Action.RETURN_RESULT: gettext_lazy("The applicant received the result."),
    Action.STOP: gettext_lazy("Stop processing when the conditions are not met (Dừng xử lý)."),
    Action.APOLOGIZE: gettext_lazy(
        "Apologise to the applicant and propose a new due time; a due time may be reset only once."
    ),
}


@dataclass(frozen=True)
class Badge:
    urgency: str
    label: str

    @classmethod
    def of(cls, value: str) -> Badge:
        return cls(value, str(URGENCY_LABELS[value]))


def step_badge(step_due_at: datetime | None, now: datetime) -> Badge:
    """A step deadline is either passed or not (no at-risk window of its own)."""
    if step_due_at is None:
        return Badge.of(Urgency.NONE)
    return Badge.of(Urgency.OVERDUE if step_due_at <= now else Urgency.ON_TRACK)


def _step_name(dossier: Dossier) -> str:
    step = current_step(dossier)  # the process's steps are cached: no query per row
    return step.name if step is not None else ""


# --- the inbox ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxRow:
    dossier: Dossier
    applicant_id: str
    step_name: str
    step_badge: Badge
    due_badge: Badge


@dataclass(frozen=True)
class ConsultationRow:
    consultation: Consultation
    badge: Badge


def _inbox_row(dossier: Dossier, now: datetime) -> InboxRow:
    return InboxRow(
        dossier=dossier,
        applicant_id=mask(dossier.applicant_id_number),
        step_name=_step_name(dossier),
        step_badge=step_badge(dossier.step_due_at, now),
        due_badge=Badge.of(urgency(dossier.due_at, dossier.warn_at, now)),
    )


@staff_required(*INBOX_ROLES)
def inbox_page(request: HttpRequest) -> HttpResponse:
    scope = request.GET.get("scope", "mine")
    if scope not in dict(SCOPES):
        scope = "mine"
    now = timezone.now()
    search = InboxFilterForm(request.GET)
    filters = search.cleaned_data if search.is_valid() else {"q": "", "urgency": ""}
    context: dict[str, Any] = {"scope": scope, "scopes": SCOPES, "search": search}
    page: Page[Any]
    if scope == CONSULTATIONS:
        page = Paginator(consultations_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
        context["consultation_rows"] = [
            ConsultationRow(c, Badge.of(urgency(c.due_at, None, now))) for c in page.object_list
        ]
        query = {"scope": scope}
    else:
        rows = inbox(request.user, InboxQuery(scope=scope, search=filters["q"], urgency=filters["urgency"]), now=now)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        context["rows"] = [_inbox_row(d, now) for d in page.object_list]
        query = {"scope": scope, **{k: v for k, v in filters.items() if v}}
    context.update(page=page, query=urlencode(query))
    return render(request, "backoffice/processing/inbox.html", context)


# --- the dossier processing page ----------------------------------------------------------------------


@dataclass(frozen=True)
class EventRow:
    entry: TimelineEntry
    actor: str
    step: str
    holder: str
    assignee: str
    files: list[DossierDocument]


@dataclass(frozen=True)
class ConsultationView:
    consultation: Consultation
    badge: Badge
    files: list[DossierDocument]


def _visible(user: Any, code: str) -> Dossier:
    dossier = dossier_for_staff(user, code)
    if dossier is None:
        raise Http404
    return dossier


def _steps(dossier: Dossier) -> tuple[StepPlan, ...]:
    return process_steps(dossier.process_id) if dossier.process_id is not None else ()


def _next_step(dossier: Dossier) -> StepPlan | None:
    steps = _steps(dossier)
    position = dossier.step_position
    return steps[position] if position is not None and position < len(steps) else None


def _choices(dossier: Dossier, actions: set[str]) -> ActionChoices:
    """Only what the offered forms need: the next step's people, the agencies one may consult."""
    following = _next_step(dossier)
    people = next_step_people(dossier) if actions & {Action.FORWARD, Action.APPROVE, Action.REJECT} else []
    agencies: list[Agency] = []
    if Action.CONSULT in actions:
        agencies = list(Agency.objects.filter(is_active=True).exclude(pk=dossier.competent_agency_id).order_by("path"))
    return ActionChoices(
        people=people,
        agencies=agencies,
        draft_allowed=following is not None and following.role == Role.UNIT_LEADER,
        return_method=dossier.return_method,
    )


def _allowed_actions(user: Any, dossier: Dossier, done_before: set[str]) -> list[str]:
    """The processing forms to offer: what ``workflow.actions`` allows, in the page's order."""
    offered = allowed_action_names(user, dossier, done_before=done_before, among=PROCESSING_ACTIONS)
    return [str(action) for action in PROCESSING_ACTIONS if action in offered]


def _event_rows(
    dossier: Dossier, events: list[DossierEvent], files: dict[int, list[DossierDocument]]
) -> list[EventRow]:
    steps = _steps(dossier)
    rows = []
    for entry, event in zip(dossier_timeline(dossier, all_notes=True), events, strict=True):
        step = steps[event.step - 1].name if event.step and event.step <= len(steps) else ""
        rows.append(
            EventRow(
                entry=entry,
                actor=(event.actor.full_name or event.actor.username) if event.actor else "",
                step=step,
                holder=event.holder_agency.name if event.holder_agency else "",
                assignee=(event.assignee.full_name or event.assignee.username) if event.assignee else "",
                files=files.get(event.pk, []),
            )
        )
    return rows


def _consultations(
    dossier: Dossier, events: list[DossierEvent], files: dict[int, list[DossierDocument]], now: datetime
) -> list[ConsultationView]:
    answers: dict[tuple[int | None, datetime | None], int] = {
        (e.actor_id, e.at): e.pk for e in events if e.action == Action.ANSWER_CONSULTATION and e.actor_id is not None
    }
    views = []
    for consultation in dossier.consultations.all():
        event_id = answers.get((consultation.answered_by_id, consultation.answered_at))
        badge = Badge.of(Urgency.NONE if consultation.answered_at else urgency(consultation.due_at, None, now))
        views.append(ConsultationView(consultation, badge, files.get(event_id, []) if event_id else []))
    return views


def _render(
    request: HttpRequest,
    dossier: Dossier,
    *,
    bound: forms.Form | None = None,
    bound_action: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    events = list(dossier.events.all())
    documents = list(dossier.documents.all())
    files: dict[int, list[DossierDocument]] = {}
    for document in documents:
        if document.event_id is not None and document.file:
            files.setdefault(document.event_id, []).append(document)
    allowed = _allowed_actions(request.user, dossier, {e.action for e in events})
    e_copy = is_certified_copy_procedure(dossier.procedure.code)
    if e_copy:  # the certifier certifies on the certification page instead of approving a drawn-up result
        allowed = [a for a in allowed if a != Action.APPROVE]
    if bound is not None and bound_action not in allowed and status == 400:
        allowed.append(bound_action)  # the person's input and its errors stay in view
    choices = _choices(dossier, set(allowed))
    action_forms = {
        a: bound if (bound is not None and a == bound_action) else processing_form(a, choices) for a in allowed
    }
    step = current_step(dossier)
    context = {
        "dossier": dossier,
        "applicant_id": mask(dossier.applicant_id_number),
        "applicant_phone": mask(dossier.applicant_phone),
        "step": step,
        "steps": _steps(dossier),
        "step_badge": step_badge(dossier.step_due_at, now),
        "due_badge": Badge.of(urgency(dossier.due_at, dossier.warn_at, now)),
        "events": _event_rows(dossier, events, files),
        "consultations": _consultations(dossier, events, files, now),
        "dossier_messages": dossier_messages(dossier.pk),
        "documents": documents,
        "answers": form_answers(dossier),
        "form_title": (dossier.procedure_version.form_schema or {}).get("title", ""),
        "result": dossier_result(dossier),
        "action_forms": action_forms,
        "action_panels": [(a, Action(a).label, ACTION_HELP.get(a, ""), form) for a, form in action_forms.items()],
        "danger": [str(a) for a in DANGER],
        "apologized": any(e.action == Action.APOLOGIZE for e in events),
        "certification": e_copy,
        "error": error,
    }
    return render(request, "backoffice/processing/dossier.html", context, status=status)


@staff_required()
def processing_dossier(request: HttpRequest, code: str) -> HttpResponse:
    return _render(request, _visible(request.user, code))


# --- the actions: one form and one service each ----------------------------------------------------------


def _uploads(files: list[Any]) -> list[Upload]:
    return [Upload(name=f.name or "", stream=f, size=f.size or 0) for f in files]


def _person(form: forms.Form, cleaned: dict[str, Any]) -> Any:
    return form.person(cleaned)  # type: ignore[attr-defined]


Runner = Callable[[Any, str, forms.Form, dict[str, Any]], Any]

RUNNERS: dict[str, Runner] = {
    Action.TAKE: lambda user, code, form, d: processing.dossier_take(actor=user, code=code),
    Action.FORWARD: lambda user, code, form, d: processing.dossier_forward(
        actor=user,
        code=code,
        assignee=_person(form, d),
        note=d["note"],
        draft=_uploads([d["draft"]])[0] if d.get("draft") else None,
    ),
    Action.SEND_BACK: lambda user, code, form, d: processing.dossier_send_back(
        actor=user, code=code, reason=d["reason"]
    ),
    Action.REQUEST_SUPPLEMENT: lambda user, code, form, d: services.dossier_request_supplement(
        actor=user, code=code, missing=d["missing"], note=d["note"]
    ),
    Action.CONSULT: lambda user, code, form, d: processing.dossier_consult(
        actor=user, code=code, agency_codes=list(d["agencies"]), question=d["question"], hours=d["hours"]
    ),
    Action.ANSWER_CONSULTATION: lambda user, code, form, d: processing.consultation_answer(
        actor=user, code=code, answer=d["answer"], uploads=_uploads(d["attachments"])
    ),
    Action.REQUEST_PAYMENT: lambda user, code, form, d: processing.dossier_request_payment(
        actor=user, code=code, amount=d["amount"], note=d["note"]
    ),
    Action.CONFIRM_PAYMENT: lambda user, code, form, d: processing.dossier_confirm_payment(
        actor=user, code=code, note=d["note"]
    ),
    Action.APPROVE: lambda user, code, form, d: processing.dossier_approve(
        actor=user, code=code, note=d["note"], assignee=_person(form, d), previewed=d["previewed"]
    ),
    Action.REJECT: lambda user, code, form, d: processing.dossier_reject(
        actor=user, code=code, reason=d["reason"], assignee=_person(form, d)
    ),
    Action.ISSUE_RESULT: lambda user, code, form, d: processing.dossier_issue_result(actor=user, code=code),
    Action.RETURN_RESULT: lambda user, code, form, d: processing.dossier_return_result(
        actor=user, code=code, via=d["via"], note=d["note"]
    ),
    Action.STOP: lambda user, code, form, d: processing.dossier_stop(actor=user, code=code, reason=d["reason"]),
    Action.APOLOGIZE: lambda user, code, form, d: processing.dossier_apologize(
        actor=user, code=code, reason=d["reason"], new_due_at=d["new_due_at"]
    ),
}
assert set(RUNNERS) == set(ACTION_FORMS), "every processing form has its service"


def _actor(request: HttpRequest) -> Any:
    """The signed-in user itself, not Django's lazy wrapper (services may look at the actor's class)."""
    user = request.user
    return user._wrapped if isinstance(user, SimpleLazyObject) else user  # evaluated by staff_required


@staff_required()
@require_POST
def processing_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    if action not in RUNNERS:
        raise Http404
    dossier = _visible(request.user, code)
    form = processing_form(action, _choices(dossier, {action}), request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, dossier, bound=form, bound_action=action, status=400)
    data = form.cleaned_data
    if action == Action.APPROVE:  # the leader signs what the preview they opened showed, nothing else
        data = {**data, "previewed": request.session.get(_preview_key(dossier.code), "")}
    try:
        RUNNERS[action](_actor(request), dossier.code, form, data)
    except DomainError as exc:
        if exc.details:
            add_domain_errors(form, exc)  # per-field reasons next to the fields, the others above them
        # Nothing changed: the page shows the dossier as it was, with the reason.
        return _render(request, dossier, bound=form, bound_action=action, error=str(exc.message), status=exc.status)
    messages.success(request, _("Done: %(action)s.") % {"action": Action(action).label})
    return redirect("backoffice:processing-dossier", code=dossier.code)


# --- downloads (audited) ------------------------------------------------------------------------------


@require_GET
@staff_required()
@never_cache  # personal data: no shared or browser cache keeps a copy
def processing_result(request: HttpRequest, code: str) -> HttpResponse:
    result = result_for_staff(request.user, code)
    if result is None:
        raise Http404
    result_read_record(actor=request.user, result=result)
    response = HttpResponse(result_file(result), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{result.dossier.code}-ket-qua.pdf"'
    return response


def _preview_key(code: str) -> str:
    return f"result-preview:{code}"


@require_GET
@staff_required()
@never_cache
def processing_preview(request: HttpRequest, code: str) -> HttpResponse:
    """The result as the leader would sign it now, from the current data (unsigned, without number and date).

    Only for whoever may approve the dossier now; what it showed is remembered in the session, and the
    approval signs exactly that or is refused.
    """
    dossier = _visible(request.user, code)
    done_before = set(dossier.events.values_list("action", flat=True))
    if Action.APPROVE not in _allowed_actions(request.user, dossier, done_before):
        raise Http404
    preview = result_preview(dossier, leader=request.user, at=timezone.now())
    pdf = preview.pdf()
    request.session[_preview_key(dossier.code)] = preview.digest
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-xem-truoc.pdf"'
    return response


@require_GET
@staff_required()
def processing_document(request: HttpRequest, code: str, document_id: int) -> HttpResponse:
    """A dossier's file for whoever may see the dossier in processing (consulted agencies included)."""
    return document_download(request, document_for_staff(request.user, code, document_id))


# --- the process editor (administrators) ----------------------------------------------------------------


@dataclass(frozen=True)
class OfferingRow:
    procedure: Any
    agency: Agency
    process: Any  # the Process in force, or None until the first dossier (or an administrator) makes one
    steps: list[Any]


@staff_required(Role.ADMINISTRATOR)
def processes_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(offerings_managed(request.user, query=query), PAGE_SIZE).get_page(request.GET.get("page"))
    offerings = list(page.object_list)
    in_force = processes_in_force(offerings)
    rows = []
    for offering in offerings:
        process = in_force.get((offering.procedure_id, offering.agency_id))
        rows.append(
            OfferingRow(offering.procedure, offering.agency, process, list(process.steps.all()) if process else [])
        )
    context = {"page": page, "rows": rows, "q": query, "query": urlencode({"q": query}) if query else ""}
    return render(request, "backoffice/processing/processes.html", context)


def _initial_steps(steps: list[StepPlan] | tuple[StepPlan, ...]) -> list[dict[str, Any]]:
    return [
        {"name": s.name, "role": s.role, "unit": str(s.unit_id or ""), "hours": s.hours, "ORDER": s.position}
        for s in steps
    ]


def _planned_steps(formset: Any) -> list[StepPlan]:
    plans = []
    for position, form in enumerate(formset.ordered_forms, start=1):
        data = form.cleaned_data
        unit = data.get("unit")
        plans.append(StepPlan(position, data["name"], data["role"], int(unit) if unit else None, data.get("hours")))
    return plans


@staff_required(Role.ADMINISTRATOR)
def process_editor(request: HttpRequest, procedure_code: str, agency_code: str) -> HttpResponse:
    offering = offering_managed(request.user, procedure_code, agency_code)
    if offering is None:
        raise Http404
    procedure, agency = offering.procedure, offering.agency
    version = procedure.current_version
    assert version is not None  # offerings_managed lists published procedures only
    process = process_in_force(procedure_id=procedure.pk, agency_id=agency.pk)
    steps = process_steps(process.pk) if process is not None else tuple(default_steps(version))
    units = list(step_units(agency))
    post = request.POST if request.method == "POST" else None
    formset = StepFormSet(post, initial=_initial_steps(steps), units=units, prefix="steps")  # type: ignore[call-arg]
    errors: list[str] = []
    status = 200
    if post is not None:
        status = 400
        if formset.is_valid():
            try:
                published = process_publish(
                    actor=request.user, procedure=procedure, agency=agency, steps=_planned_steps(formset)
                )
            except InvalidProcess as exc:
                details = exc.details if isinstance(exc.details, dict) else {}
                errors = [str(e) for e in details.get("steps", [])] or [str(exc.message)]
            except DomainError as exc:
                errors = [str(exc.message)]
                status = exc.status
            else:
                messages.success(
                    request, _("Version %(number)d of the process is in force.") % {"number": published.number}
                )
                return redirect("backoffice:process-editor", procedure_code=procedure.code, agency_code=agency.code)
    context = {
        "procedure": procedure,
        "version": version,
        "agency": agency,
        "process": process,
        "steps": [(s.position, s.name, Role(s.role).label, s.hours) for s in steps],
        "formset": formset,
        "errors": errors,
        "total_hours": total_hours(version),
    }
    return render(request, "backoffice/processing/process_editor.html", context, status=status)
