"""Submission by an integrated system on behalf of an applicant (a provincial portal, a sector system).

The system has authenticated the applicant on its side (e.g. with the national identity) and sends the
application with the applicant's identity; the dossier is the applicant's, entered by the system's account
(``created_by``), and the submission is audited with the system and the applicant. The rules of the
application are those of online submission (``services.dossier_submit_online_once``), run by the same
helpers: the procedure must be offered online, the e-form, case and documents are checked alike.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from motcua.catalog.constants import OnlineMode
from motcua.core.exceptions import PermissionDenied, ValidationFailed
from motcua.core.identifiers import validate_personal_id, validate_tax_code
from motcua.dossiers.constants import ApplicantType
from motcua.dossiers.exceptions import NotOffered
from motcua.dossiers.services import check_uploads, refuse_too_many
from motcua.identity.constants import AccountKind
from motcua.identity.models import User
from motcua.identity.token_models import ApiToken
from motcua.identity.tokens import system_call_record, token_covers_agency, token_on_behalf_check
from motcua.workflow.services import (
    Application,
    Submission,
    _check_application,
    _offering,
    _refuse_missing,
    _replayed,
    application_fingerprint,
    idempotency_scope,
    open_online_once,
)

ON_BEHALF_TYPES = (ApplicantType.CITIZEN, ApplicantType.ENTERPRISE)


@dataclass(frozen=True)
class ApplicantIdentity:
    """The applicant as the integrated system identified them."""

    type: str  # ApplicantType.CITIZEN (personal ID) or ENTERPRISE (enterprise code)
    id_number: str
    full_name: str
    phone: str = ""
    email: str = ""
    address: str = ""


def _check_identity(applicant: ApplicantIdentity) -> None:
    errors: dict[str, list[str]] = {}
    if applicant.type not in ON_BEHALF_TYPES:
        errors["type"] = [_("An integrated system submits for a citizen or an enterprise.")]
    else:
        validate = validate_personal_id if applicant.type == ApplicantType.CITIZEN else validate_tax_code
        try:
            validate(applicant.id_number)
        except ValidationError as exc:
            errors["id_number"] = list(exc.messages)
    if not applicant.full_name.strip():
        errors["full_name"] = [_("Give the applicant's full name.")]
    if errors:
        raise ValidationFailed(details=errors)


def _account_of(applicant: ApplicantIdentity) -> User | None:
    """The applicant's own account, when one was verified as theirs: the dossier then shows among their
    dossiers. An account merely registered with the number is not linked (anyone may type any number)."""
    if applicant.type == ApplicantType.CITIZEN:
        found = User.objects.filter(kind=AccountKind.CITIZEN, personal_id=applicant.id_number)
    else:
        found = User.objects.filter(kind=AccountKind.ORGANISATION, tax_code=applicant.id_number)
    return found.filter(is_active=True, identity_verified_at__isnull=False).order_by("pk").first()


def _stated(applicant: ApplicantIdentity) -> User:
    """The applicant as a transient account: what ``_new_dossier`` copies onto the dossier (never saved)."""
    organisation = applicant.type == ApplicantType.ENTERPRISE
    return User(
        kind=AccountKind.ORGANISATION if organisation else AccountKind.CITIZEN,
        full_name=applicant.full_name.strip(),
        personal_id="" if organisation else applicant.id_number,
        tax_code=applicant.id_number if organisation else "",
        phone=applicant.phone.strip(),
        email=applicant.email.strip(),
        address=applicant.address.strip(),
    )


def _fingerprint(application: Application, applicant: ApplicantIdentity) -> str:
    """The online submission's fingerprint with the applicant's identity: the same key for another person
    is another request."""
    person = "|".join((applicant.type, applicant.id_number, applicant.full_name, applicant.phone, applicant.email))
    return hashlib.sha256(f"{application_fingerprint(application)}|{person}|{applicant.address}".encode()).hexdigest()


def dossier_submit_on_behalf(
    *,
    actor: User,
    token: ApiToken | None,
    applicant: ApplicantIdentity,
    application: Application,
    idempotency_key: str | None = None,
) -> Submission:
    """An integrated system submits a dossier online for an applicant it identified; it waits in the
    competent agency's desk queue as "Mới đăng ký" like any online dossier (Nghị định 118/2025/NĐ-CP:
    online submission through the provincial and national portals).

    Only a system token given the right (``on_behalf``) submits, and only to an agency of its scope. The
    dossier records the system's account as the one who entered it and the applicant as stated; it is
    linked to the applicant's account only when that account was verified. Documents from the applicant's
    data store are not offered to systems. ``idempotency_key`` as in online submission (scoped to the
    system's account, the applicant part of the request).
    """
    system = token_on_behalf_check(token)
    _check_identity(applicant)
    if application.reused:
        raise ValidationFailed(
            details={"reused": [_("An integrated system attaches the files; it does not take them from a store.")]}
        )
    refuse_too_many(application.uploads)
    scoped_key = idempotency_scope(actor, idempotency_key)
    fingerprint = _fingerprint(application, applicant) if scoped_key else ""
    if (done := _replayed(scoped_key, fingerprint)) is not None:
        return Submission(done, created=False)
    procedure, agency, first_desk_id = _offering(application)
    if not token_covers_agency(system, agency):
        raise PermissionDenied(
            _("This system's key does not cover the agency %(code)s.") % {"code": agency.code},
            code="agency_not_granted",
        )
    if procedure.online_mode == OnlineMode.NONE:
        raise NotOffered(_("This procedure cannot be submitted online; apply at the desk."))
    intake = _check_application(application, procedure)
    if intake.case is not None and intake.case.effective_online_mode() == OnlineMode.NONE:
        raise NotOffered(_("This case of the procedure cannot be submitted online; apply at the desk."))
    checked = check_uploads(application.uploads)
    given = {u.required_document_id for u in application.uploads if u.required_document_id}
    _refuse_missing(intake, given)
    account = _account_of(applicant)

    return open_online_once(
        actor=actor,
        application=application,
        offering=(procedure, agency, first_desk_id),
        intake=intake,
        checked=checked,
        key=(scoped_key, fingerprint),
        stated=_stated(applicant),
        account=account,  # the transient applicant only lent its fields
        then=lambda dossier: system_call_record(
            token=system, action="submit", dossier_code=dossier.code, on_behalf_of=applicant.id_number
        ),
    )
