"""Online submission by a logged-in citizen or enterprise: agency, e-form, files, return method, confirm.

Checking and submitting happen in one POST. Files of a page that comes back with errors are kept
server-side under the page's form token (``dossiers.staging``); the same token is the submission's
idempotency key, so a page sent twice makes one dossier. The summary is shown on the page that follows.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.constants import OnlineMode
from motcua.catalog.models import Procedure
from motcua.catalog.selectors import procedure_detail
from motcua.core.exceptions import DomainError
from motcua.core.schema_forms import json_data, schema_form_class
from motcua.dossiers.drafts import DraftData, draft_discard, draft_for, draft_save
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_for
from motcua.dossiers.staging import close_staged, form_token_new, form_token_of, staged_discard, staged_for, staged_keep
from motcua.identity.models import User
from motcua.identity.selectors import is_staff_member
from motcua.integrations.postal_selectors import tariff_for, tariff_notices, tariff_text
from motcua.portal.prefill import account_prefill
from motcua.portal.submit_forms import (
    EFORM_PREFIX,
    DocumentsForm,
    SubmissionForm,
    form_answers,
    raw_values,
    schema_defaults,
    show_domain_error,
)
from motcua.workflow.intake_rows import (
    chosen_case,
    document_rows,
    reuse_offers,
    selected_case,
    ticked_conditions,
)
from motcua.workflow.services import (
    Application,
    applicant_id_number,
    dossier_submit_online,
    dossier_submitted_with,
)
from motcua.workflow.version_parts import version_parts


def _applicant(request: HttpRequest) -> User:
    # Staff enter dossiers for people at the desk (back office), never as themselves here.
    if is_staff_member(request.user):
        raise PermissionDenied
    return cast(User, request.user)


def _online_procedure(code: str) -> Procedure:
    procedure = procedure_detail(code)
    if procedure is None or procedure.current_version is None:
        raise Http404
    return procedure


def _done(code: str, dossier: Dossier) -> HttpResponse:
    return redirect("portal:submit-done", code=code, dossier_code=dossier.code)


@login_required
def submit(request: HttpRequest, code: str) -> HttpResponse:
    applicant = _applicant(request)
    procedure = _online_procedure(code)
    if procedure.online_mode == OnlineMode.NONE:
        messages.info(request, _("This procedure cannot be submitted online; apply at the desk."))
        return redirect("portal:procedure", code=code)
    version = procedure.current_version
    assert version is not None
    agencies = sorted((a for a in procedure.agencies.all() if a.is_active), key=lambda a: a.code)
    parts = version_parts(version)
    eform_class = schema_form_class(version.form_schema)
    # What the applicant's data store holds for the documents they may take from it (issue 14).
    offers = reuse_offers(parts.documents, owner_id_number=applicant_id_number(applicant), on=timezone.localdate())
    draft = None
    status = 200
    # One token per page: it keeps the files across errors and makes a repeated send one dossier.
    token = form_token_of(request.POST.get("form_token")) if request.method == "POST" else None

    if request.method == "POST":
        if token is not None and (done := dossier_submitted_with(applicant, token)) is not None:
            return _done(code, done)  # the same page sent again (a double tap, a resent request)
        token = token or form_token_new()
        main = SubmissionForm(request.POST, agencies=agencies, cases=parts.cases)
        eform = eform_class(request.POST, prefix=EFORM_PREFIX)
        # What is required follows the case and the answers as sent (the service checks them again);
        # of a form with errors, the fields that are valid count.
        eform.is_valid()
        answers = json_data(eform.cleaned_data)
        case = chosen_case(parts, chosen=str(request.POST.get("case", "")), answers=answers)
        rows = document_rows(
            parts, case=case, answers=answers, conditions_met=ticked_conditions(request.POST, parts.documents)
        )
        files = DocumentsForm(
            request.POST, request.FILES, rows=rows, staged=staged_for(applicant, token), offers=offers
        )
        if request.POST.get("action") == "draft":
            data = DraftData(
                agency_code=main.data.get("agency", ""),
                form_data=raw_values(eform),
                return_method=main.data.get("return_method", ""),
                return_address=main.data.get("return_address", ""),
            )
            try:
                draft_save(applicant=applicant, procedure=procedure, data=data)
            except DomainError as exc:
                for form in (main, eform, files):
                    form.is_valid()  # so that add_error has cleaned data to work on
                show_domain_error(exc, main=main, eform=eform, documents=files)
                status = 400
            else:
                messages.success(request, _("Your draft has been saved."))
                return redirect("portal:submit", code=code)
        elif all([main.is_valid(), eform.is_valid(), files.is_valid()]):  # a list: every form shows its errors
            application = Application(
                procedure_code=procedure.code,
                agency_code=main.cleaned_data["agency"],
                form_data=json_data(eform.cleaned_data),
                uploads=files.uploads(),
                return_method=main.cleaned_data["return_method"],
                return_address=main.cleaned_data["return_address"],
                case=main.cleaned_data.get("case") or "",
                conditions_met=files.conditions_met(),
                reused=files.reused(),
            )
            try:
                dossier = dossier_submit_online(actor=applicant, application=application, idempotency_key=token)
            except DomainError as exc:
                show_domain_error(exc, main=main, eform=eform, documents=files)
                status = exc.status if exc.status != 404 else 400
            else:
                draft_discard(applicant=applicant, procedure=procedure)
                staged_discard(owner=applicant, token=token)
                return _done(code, dossier)
            finally:
                close_staged(application.uploads)
        else:
            status = 400
        if status != 200:
            files.staged.update(staged_keep(owner=applicant, token=token, files=files.new_valid_files()))
    else:
        token = form_token_new()
        draft = draft_for(applicant, procedure)
        initial: dict[str, Any] = {}
        if draft is not None:
            initial = {"return_method": draft.return_method or None, "return_address": draft.return_address}
            if draft.agency is not None:
                initial["agency"] = draft.agency.code
        answers = {
            **schema_defaults(version.form_schema),
            **account_prefill(version.form_schema, applicant),
            **(draft.form_data if draft else {}),
        }
        eform = eform_class(initial=answers, prefix=EFORM_PREFIX)
        # Preselected when there is one case or the answers select one by its selector.
        case = selected_case(parts, answers)
        if case is not None:
            initial["case"] = case.code
        main = SubmissionForm(initial={k: v for k, v in initial.items() if v}, agencies=agencies, cases=parts.cases)
        rows = document_rows(parts, case=case, answers=answers, conditions_met=set())
        files = DocumentsForm(rows=rows, offers=offers)

    context = {
        "procedure": procedure,
        "version": version,
        "form": main,
        "eform": eform,
        "files": files,
        "forms": [main, eform, files],
        "draft": draft,
        "form_token": token,
        # The fee and the extra days of return by post, told before the applicant chooses it.
        "postal_notices": tariff_notices(agencies),
    }
    return render(request, "portal/submit.html", context, status=status)


@login_required
def submit_done(request: HttpRequest, code: str, dossier_code: str) -> HttpResponse:
    """What was submitted, with the dossier code to follow it by."""
    applicant = _applicant(request)
    dossier = dossier_for(applicant, dossier_code)
    if dossier is None or dossier.procedure.code != code:
        raise Http404
    answers = form_answers(dossier.procedure_version.form_schema, dossier.form_data)
    context = {
        "dossier": dossier,
        "answers": answers,
        "documents": [d for d in dossier.documents.all() if not d.for_supplement],
        "postal_fee_notice": tariff_text(tariff_for(dossier.competent_agency)),
    }
    return render(request, "portal/submit_done.html", context)
