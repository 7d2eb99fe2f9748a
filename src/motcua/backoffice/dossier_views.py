"""The desk officer's dossier pages: intake queue, dossier page with its actions, walk-in reception."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.backoffice.access import staff_required
from motcua.backoffice.accounts import handover_context, open_account, typed_identifier
from motcua.backoffice.dossier_forms import (
    DigitizationChargeForm,
    ProcedureChoiceForm,
    ProcedureFindForm,
    WalkInForm,
    action_form,
)
from motcua.catalog.models import Procedure
from motcua.catalog.selectors import procedure_detail
from motcua.core.exceptions import DomainError
from motcua.core.form_errors import add_domain_errors
from motcua.core.identifiers import mask
from motcua.core.schema_forms import json_data, ordered_properties, schema_form_class
from motcua.documents.selectors import (
    charges_digitization,
    digitization_charges,
    digitization_fee_for,
    digitized_for,
    digitized_of_documents,
)
from motcua.documents.services import data_store_intake_read_record, digitization_charge, digitized_read_record
from motcua.dossiers.access import document_read_record, dossier_document_for
from motcua.dossiers.exceptions import FormInvalid
from motcua.dossiers.models import Dossier
from motcua.dossiers.personal_data import personal_data_read_record, personal_data_visible
from motcua.dossiers.queues import desk_procedures, desks_of, intake_queue, queue_rows, walk_in_applicant
from motcua.dossiers.selectors import dossier_for
from motcua.dossiers.slips import SLIP_EVENT, SLIP_LABELS
from motcua.dossiers.staging import (
    close_staged,
    form_token_new,
    form_token_of,
    staged_discard,
    staged_for,
    staged_keep,
)
from motcua.identity import services as identity_services
from motcua.identity.constants import AccountKind, Role
from motcua.identity.forms import ApplicantSearchForm, ApplicantVerifyForm, DeskApplicantForm
from motcua.identity.selectors import find_applicants
from motcua.integrations.population import population_record_lookup
from motcua.integrations.postal_selectors import tariff_notices
from motcua.notifications.selectors import dossier_messages
from motcua.workflow import services
from motcua.workflow.actions import allowed_action_names
from motcua.workflow.constants import Action
from motcua.workflow.intake_rows import (
    chosen_case,
    document_rows,
    reuse_offers,
    selected_case,
    ticked_conditions,
)
from motcua.workflow.reception import dossier_receive_and_forward
from motcua.workflow.timeline import dossier_timeline
from motcua.workflow.version_parts import version_parts

PAGE_SIZE = 25
PICKER_RESULTS = 30  # procedures listed under the desk's search box
# The reception actions offered on the dossier page, in the order they are shown.
DESK_ACTIONS = (Action.RECEIVE, Action.REFUSE, Action.REQUEST_SUPPLEMENT, Action.WITHDRAW)


@staff_required(Role.DESK_OFFICER)
def intake_queue_page(request: HttpRequest) -> HttpResponse:
    # The national portal's own record of a dossier, in the same query: the source shown in the queue.
    queue = intake_queue(request.user).select_related("national_intake")
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = queue_rows(request.user, list(page.object_list))
    shown = [row.dossier for row in rows if row.full]
    personal_data_read_record(actor=request.user, dossiers=shown, where="intake_queue")
    return render(request, "backoffice/intake_queue.html", {"page": page, "rows": rows, "query": ""})


# --- the dossier page -------------------------------------------------------------------------------


def _visible(user: Any, code: str) -> Dossier:
    dossier = dossier_for(user, code)
    if dossier is None:
        raise Http404
    return dossier


def _allowed_actions(user: Any, dossier: Dossier, done_before: set[str]) -> list[str]:
    """The reception forms to offer: what ``workflow.actions`` allows, in the page's order."""
    offered = allowed_action_names(user, dossier, done_before=done_before, among=DESK_ACTIONS)
    return [str(action) for action in DESK_ACTIONS if action in offered]


def _form_rows(schema: dict[str, Any], data: dict[str, Any]) -> list[tuple[str, Any]]:
    """E-form answers labelled with the schema's titles, in the schema's order (unknown keys last)."""
    properties = dict(ordered_properties(schema))
    rows = [(str(spec.get("title") or name), data[name]) for name, spec in properties.items() if name in data]
    rows += [(name, value) for name, value in data.items() if name not in properties]
    return [(title, (_("Yes") if value else _("No")) if isinstance(value, bool) else value) for title, value in rows]


def _render_dossier(
    request: HttpRequest,
    dossier: Dossier,
    *,
    bound: forms.Form | None = None,
    bound_action: str = "",
    error: str = "",
    status: int = 200,
    record_view: bool = False,
    charge_form: forms.Form | None = None,
) -> HttpResponse:
    done = {event.action for event in dossier.events.all()}  # prefetched by dossier_for
    allowed = _allowed_actions(request.user, dossier, done)
    action_forms = {a: bound if (bound is not None and a == bound_action) else action_form(a) for a in allowed}
    full = personal_data_visible(request.user, dossier)
    show = (lambda value: value) if full else mask
    if full and record_view:  # the page itself; a refused action shown again on it records nothing
        personal_data_read_record(actor=request.user, dossiers=[dossier], where="dossier_page")
    context = {
        "dossier": dossier,
        "personal_data_full": full,
        "applicant_id": show(dossier.applicant_id_number),
        "applicant_phone": show(dossier.applicant_phone),
        "authorised_id": show(dossier.authorised_id_number),
        "form_rows": _form_rows(dossier.procedure_version.form_schema, dossier.form_data or {}),
        "documents": _with_store_copies(list(dossier.documents.all())),
        **_digitization_fee(request.user, dossier, charge_form),
        "timeline": dossier_timeline(dossier, all_notes=True),
        "dossier_messages": dossier_messages(dossier.pk),
        "action_forms": action_forms,
        "slips": [(kind.value, SLIP_LABELS[kind]) for kind, action in SLIP_EVENT.items() if action in done],
        "error": error,
    }
    return render(request, "backoffice/dossier.html", context, status=status)


def _with_store_copies(documents: list[Any]) -> list[Any]:
    """Each document with its entry in the owner's data store (``store_copy``, None if not digitized)."""
    found = digitized_of_documents([document.pk for document in documents])
    for document in documents:
        document.store_copy = found.get(document.pk)  # shown beside the document (documents.html)
    return documents


def grouped(amount: int) -> str:
    """An amount of đồng with its thousands grouped as Vietnamese writes them: 14.000."""
    return f"{amount:,}".replace(",", ".")


def _digitization_fee(user: Any, dossier: Dossier, form: forms.Form | None) -> dict[str, Any]:
    """The digitization charges of the dossier, their total due, and the form for the receiving desk."""
    charges = digitization_charges(dossier)
    fee = digitization_fee_for(dossier.receiving_agency) if charges_digitization(user, dossier) else None
    return {
        "digitization_charges": [
            {"charge": c, "per_page": grouped(c.amount_per_page), "amount": grouped(c.amount)} for c in charges
        ],
        "digitization_due": grouped(sum(charge.amount for charge in charges)),
        "digitization_fee": fee,
        "digitization_fee_amount": grouped(fee.amount_per_page) if fee is not None else "",
        "charge_form": (form or DigitizationChargeForm()) if fee is not None else None,
    }


@staff_required()
def dossier_page(request: HttpRequest, code: str) -> HttpResponse:
    return _render_dossier(request, _visible(request.user, code), record_view=True)


def _act(
    request: HttpRequest,
    code: str,
    action: str,
    run: Callable[[Any, str, dict[str, Any]], Any],
    *,
    done: str = "",
) -> HttpResponse:
    """Parse the action's form, call its one service, then redirect, or re-render with the reason and 4xx."""
    dossier = _visible(request.user, code)
    form = action_form(action, request.POST)
    if not form.is_valid():
        return _render_dossier(request, dossier, bound=form, bound_action=action, status=400)
    try:
        run(request.user, dossier.code, form.cleaned_data)
    except DomainError as exc:
        add_domain_errors(form, exc, fields_only=True)  # the message itself is shown above the forms
        return _render_dossier(
            request, dossier, bound=form, bound_action=action, error=str(exc.message), status=exc.status
        )
    messages.success(request, done or _("Done: %(action)s.") % {"action": Action(action).label})
    return redirect("backoffice:dossier", code=dossier.code)


@staff_required()
@require_POST
def dossier_receive(request: HttpRequest, code: str) -> HttpResponse:
    return _act(request, code, Action.RECEIVE, lambda user, c, d: services.dossier_receive(actor=user, code=c))


@staff_required()
@require_POST
def dossier_receive_forward(request: HttpRequest, code: str) -> HttpResponse:
    """Receive and forward to the first processing step in one click (the unit's pool takes it)."""
    return _act(
        request,
        code,
        Action.RECEIVE,
        lambda user, c, d: dossier_receive_and_forward(actor=user, code=c),
        done=_("Received and forwarded to processing."),
    )


@staff_required()
@require_POST
def dossier_refuse(request: HttpRequest, code: str) -> HttpResponse:
    return _act(
        request, code, Action.REFUSE, lambda user, c, d: services.dossier_refuse(actor=user, code=c, reason=d["reason"])
    )


@staff_required()
@require_POST
def dossier_request_supplement(request: HttpRequest, code: str) -> HttpResponse:
    def run(user: Any, c: str, d: dict[str, Any]) -> Any:
        return services.dossier_request_supplement(actor=user, code=c, missing=d["missing"], note=d["note"])

    return _act(request, code, Action.REQUEST_SUPPLEMENT, run)


@staff_required()
@require_POST
def dossier_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    return _act(
        request,
        code,
        Action.WITHDRAW,
        lambda user, c, d: services.dossier_withdraw(actor=user, code=c, reason=d["reason"]),
    )


@staff_required()
def dossier_document(request: HttpRequest, code: str, document_id: int) -> HttpResponse:
    return document_download(request, dossier_document_for(request.user, code, document_id))


@staff_required()
def dossier_digitized(request: HttpRequest, code: str, digitized_id: int) -> Any:
    """The store copy of a component (signed, searchable PDF/A for a scan), its reading logged."""
    digitized = digitized_for(request.user, code, digitized_id)
    if digitized is None:
        raise Http404
    digitized_read_record(actor=request.user, digitized=digitized)
    return FileResponse(
        digitized.file.open("rb"),
        as_attachment=True,
        filename=f"{digitized.code}.pdf" if digitized.content_type == "application/pdf" else digitized.code,
        content_type=digitized.content_type or "application/octet-stream",
    )


@staff_required()
@require_POST
def dossier_digitization_charge(request: HttpRequest, code: str) -> HttpResponse:
    """The desk records the digitization fee for paper it scanned on demand (an amount due)."""
    dossier = _visible(request.user, code)
    form = DigitizationChargeForm(request.POST)
    if form.is_valid():
        try:
            digitization_charge(
                actor=request.user, code=dossier.code, pages=form.cleaned_data["pages"], note=form.cleaned_data["note"]
            )
        except DomainError as exc:
            add_domain_errors(form, exc, fields_only=True)  # the message itself is shown above the forms
            return _render_dossier(request, dossier, charge_form=form, error=str(exc.message), status=exc.status)
        messages.success(request, _("The digitization fee is recorded as due."))
        return redirect("backoffice:dossier", code=dossier.code)
    return _render_dossier(request, dossier, charge_form=form, status=400)


def document_download(request: HttpRequest, document: Any) -> Any:
    """The file of a document the viewer may read (None: 404), its reading logged; a streaming response
    (``staff_required`` is typed for HttpResponse, hence Any)."""
    if document is None:
        raise Http404
    document_read_record(actor=request.user, document=document)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name or f"{document.dossier.code}-{document.pk}",
        content_type=document.content_type or "application/octet-stream",
    )


# --- walk-in reception ------------------------------------------------------------------------------


@staff_required(Role.DESK_OFFICER)
def walk_in(request: HttpRequest) -> HttpResponse:
    """Step 1: find the applicant, or open their account on the spot (the password is shown once)."""
    search = ApplicantSearchForm(request.GET or None)
    found = list(find_applicants(actor=request.user, query=search.cleaned_data["q"])) if search.is_valid() else []
    # Nobody found: the number the officer typed goes into the account form, so it is typed once.
    initial, hint = typed_identifier(search.cleaned_data["q"]) if search.is_valid() and not found else ({}, "")
    if request.method == "POST" and "lookup" in request.POST:
        form, lookup = _population_lookup(request)
        context = {"search": search, "found": found, "form": form, "hint": hint, "lookup": lookup}
        return render(request, "backoffice/walk_in.html", context, status=200 if lookup.get("person") else 400)
    form = DeskApplicantForm(request.POST or None, initial=initial)
    if (opened := open_account(request, form)) is not None:
        return render(request, "backoffice/walk_in.html", handover_context(opened))
    context = {"search": search, "found": found, "form": form, "hint": hint}
    return render(request, "backoffice/walk_in.html", context, status=400 if form.errors else 200)


ACCOUNT_FIELDS = ("kind", "full_name", "personal_id", "tax_code", "phone", "email", "address")


def _population_lookup(request: HttpRequest) -> tuple[DeskApplicantForm, dict[str, Any]]:
    """ "Tra cứu CSDL dân cư": the account form again, filled with the name and address the population
    database holds for the typed personal ID (the date of birth is shown to compare with the card, not
    kept); not found or not reachable, the officer's typing stays and a message says to type by hand."""
    typed = {name: str(request.POST.get(name, "")).strip() for name in ACCOUNT_FIELDS}
    desk = desks_of(request.user).first()
    try:
        result = population_record_lookup(
            actor=request.user, personal_id=typed["personal_id"], desk_code=desk.code if desk else ""
        )
    except DomainError as exc:
        message = next(iter((exc.details or {}).get("personal_id", [])), exc.message)
        return DeskApplicantForm(initial=typed), {"outcome": "invalid", "message": str(message)}
    lookup: dict[str, Any] = {"outcome": result.outcome, "message": result.message}
    if result.person is not None:
        person = result.person
        typed.update(kind=AccountKind.CITIZEN, full_name=person.full_name, address=person.address)
        lookup["person"] = person
    return DeskApplicantForm(initial=typed), lookup


@staff_required(Role.DESK_OFFICER)
def applicant_verify(request: HttpRequest, applicant_id: int) -> HttpResponse:
    """Compare the applicant's card with an account opened online, then go on to the dossier."""
    person = walk_in_applicant(request.user, applicant_id)
    if person is None:
        raise Http404
    form = ApplicantVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            identity_services.applicant_verify(
                actor=request.user,  # type: ignore[arg-type]
                user=person,
                card_number=form.cleaned_data["card_number"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("%(name)s's account is verified.") % {"name": person.full_name})
            return redirect("backoffice:walk-in-dossier", applicant_id=person.pk)
    context = {"person": person, "masked": mask(person.username), "form": form}
    return render(request, "backoffice/applicant_verify.html", context, status=400 if form.errors else 200)


@staff_required(Role.DESK_OFFICER)
def walk_in_dossier(request: HttpRequest, applicant_id: int) -> HttpResponse:
    """Step 2: the dossier itself. ``?procedure=<code>`` chooses the procedure (a GET sub-step), which
    brings its agencies, e-form and document checklist; the POST receives the dossier at once."""
    applicant = walk_in_applicant(request.user, applicant_id)
    if applicant is None:
        raise Http404
    if not applicant.identity_verified:  # the card first (identity.services.applicant_verify)
        return redirect("backoffice:applicant-verify", applicant_id=applicant.pk)
    everywhere = request.GET.get("all") == "1"
    procedures = desk_procedures(request.user, everywhere=everywhere).order_by("name_key", "code")
    choice = ProcedureChoiceForm(
        request.GET if "procedure" in request.GET else None, procedures=procedures.values_list("code", "name")
    )
    procedure = procedure_detail(choice.cleaned_data["procedure"]) if choice.is_valid() else None
    context: dict[str, Any] = {
        "applicant": applicant,
        "applicant_id": mask(applicant.personal_id or applicant.tax_code),
    }
    if procedure is None or procedure.current_version is None:
        find = ProcedureFindForm(request.GET or None)
        query = find.cleaned_data["q"] if find.is_valid() else ""
        found = desk_procedures(request.user, query=query, everywhere=everywhere) if query.strip() else None
        context.update(
            choice=choice,
            find=find if find.is_bound else ProcedureFindForm(),
            query=query,
            everywhere=everywhere,
            results=None if found is None else list(found.values_list("code", "name")[:PICKER_RESULTS]),
        )
        bad = request.method == "POST" or choice.is_bound
        return render(request, "backoffice/walk_in_dossier.html", context, status=400 if bad else 200)
    return _walk_in_details(request, applicant, procedure, context)


def _walk_in_details(
    request: HttpRequest, applicant: Any, procedure: Procedure, context: dict[str, Any]
) -> HttpResponse:
    version = procedure.current_version
    assert version is not None
    desks = list(desks_of(request.user))
    agencies = sorted((a for a in procedure.agencies.all() if a.is_active), key=lambda a: a.code)
    own = {desk.agency.code for desk in desks}
    initial = {"agency": next((a.code for a in agencies if a.code in own), "")}
    post, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    # The page's token keeps the scans across errors (dossiers.staging).
    token = form_token_of(request.POST.get("form_token")) or form_token_new()
    parts = version_parts(version)
    eform = schema_form_class(version.form_schema)(post, prefix="eform")
    # What the case requires follows the choice and the answers as sent (the service checks again).
    if post is not None:
        eform.is_valid()  # of an e-form with errors, the valid answers count
        answers = json_data(eform.cleaned_data)
        case = chosen_case(parts, chosen=str(post.get("case", "")), answers=answers)
        ticked = ticked_conditions(post, parts.documents)
    else:
        answers, ticked = {}, set()
        if (case := selected_case(parts, answers)) is not None:
            initial["case"] = case.code
    # What the applicant's data store holds for the documents that may be taken from it; showing it to
    # the officer is a staff read of the store, recorded.
    offers = reuse_offers(
        parts.documents, owner_id_number=services.applicant_id_number(applicant), on=timezone.localdate()
    )
    form = WalkInForm(
        post,
        files,
        desks=desks,
        agencies=agencies,
        rows=document_rows(parts, case=case, answers=answers, conditions_met=ticked),
        cases=parts.cases,
        staged=staged_for(request.user, token) if post is not None else None,
        offers=offers,
        initial=initial,
    )
    context.update(
        {
            "procedure": procedure,
            "version": version,
            "form": form,
            "eform": eform,
            "missing": [],
            "form_token": token,
            "postal_notices": tariff_notices(agencies),
        }
    )
    if request.method != "POST":
        _store_shown(request, offers, procedure)
        return render(request, "backoffice/walk_in_dossier.html", context)
    status = 400
    if form.is_valid() & eform.is_valid():  # both validated, so every error shows at once
        application = services.Application(
            procedure_code=procedure.code,
            agency_code=form.cleaned_data["agency"],
            form_data=json_data(eform.cleaned_data),
            uploads=form.uploads(),
            return_method=form.cleaned_data["return_method"],
            return_address=form.cleaned_data["return_address"],
            case=form.cleaned_data.get("case") or "",
            conditions_met=form.conditions_met(),
            reused=form.reused(),
        )
        try:
            dossier = services.dossier_receive_at_desk(
                officer=request.user,  # type: ignore[arg-type]
                applicant=applicant,
                desk_code=form.cleaned_data["desk"],
                application=application,
                originals_seen=[],
                papers=form.papers(),
                channel=form.cleaned_data["channel"],
                channel_reference=form.cleaned_data["postal_order_number"],
            )
        except services.IncompleteDossier as exc:
            context["missing"] = list((exc.details or {}).get("documents", []))
            context["error"] = str(exc.message)
        except FormInvalid as exc:
            add_domain_errors(eform, exc)
        except DomainError as exc:
            add_domain_errors(form, exc)
            status = exc.status
        else:
            staged_discard(owner=request.user, token=token)
            messages.success(request, _("Dossier %(code)s received.") % {"code": dossier.code})
            return redirect("backoffice:dossier", code=dossier.code)
        finally:
            close_staged(application.uploads)
    form.staged.update(staged_keep(owner=request.user, token=token, files=form.new_valid_files()))
    _store_shown(request, offers, procedure)
    return render(request, "backoffice/walk_in_dossier.html", context, status=status)


def _store_shown(request: HttpRequest, offers: dict[int, list[Any]], procedure: Procedure) -> None:
    """Documents of the applicant's data store are on the page: a staff read of the store, recorded."""
    if offers:
        store_id = next(iter(offers.values()))[0].store_id
        data_store_intake_read_record(
            actor=request.user, store_id=store_id, data={"purpose": "intake", "procedure": procedure.code}
        )
