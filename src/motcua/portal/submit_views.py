"""Online submission by a logged-in citizen or enterprise: agency, e-form, files, return method, confirm.

Files cannot survive a re-rendered page, so checking and submitting happen in one POST; the summary
of what was submitted is shown on the page that follows.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from motcua.catalog.constants import OnlineMode
from motcua.catalog.models import Procedure
from motcua.catalog.selectors import procedure_detail
from motcua.core.exceptions import DomainError
from motcua.core.schema_forms import json_data, schema_form_class
from motcua.dossiers.drafts import DraftData, draft_discard, draft_for, draft_save
from motcua.dossiers.selectors import dossier_for
from motcua.identity.models import User
from motcua.identity.selectors import is_staff_member
from motcua.portal.submit_forms import (
    EFORM_PREFIX,
    POSTAL_FEE_NOTICE,
    DocumentsForm,
    SubmissionForm,
    form_answers,
    raw_values,
    schema_defaults,
    show_domain_error,
)
from motcua.workflow.services import Application, dossier_submit_online


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
    documents = list(version.required_documents.all())
    eform_class = schema_form_class(version.form_schema)
    draft = None
    status = 200

    if request.method == "POST":
        main = SubmissionForm(request.POST, agencies=agencies)
        eform = eform_class(request.POST, prefix=EFORM_PREFIX)
        files = DocumentsForm(request.POST, request.FILES, documents=documents)
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
            )
            try:
                dossier = dossier_submit_online(actor=applicant, application=application)
            except DomainError as exc:
                show_domain_error(exc, main=main, eform=eform, documents=files)
                status = exc.status if exc.status != 404 else 400
            else:
                draft_discard(applicant=applicant, procedure=procedure)
                return redirect("portal:submit-done", code=code, dossier_code=dossier.code)
        else:
            status = 400
    else:
        draft = draft_for(applicant, procedure)
        initial: dict[str, Any] = {}
        if draft is not None:
            initial = {"return_method": draft.return_method or None, "return_address": draft.return_address}
            if draft.agency is not None:
                initial["agency"] = draft.agency.code
        main = SubmissionForm(initial={k: v for k, v in initial.items() if v}, agencies=agencies)
        eform = eform_class(
            initial={**schema_defaults(version.form_schema), **(draft.form_data if draft else {})}, prefix=EFORM_PREFIX
        )
        files = DocumentsForm(documents=documents)

    context = {
        "procedure": procedure,
        "version": version,
        "form": main,
        "eform": eform,
        "files": files,
        "forms": [main, eform, files],
        "draft": draft,
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
        "postal_fee_notice": POSTAL_FEE_NOTICE,
    }
    return render(request, "portal/submit_done.html", context)
