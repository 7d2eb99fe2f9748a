"""Intake of dossiers: online submission, desk reception, refusal, supplement once, withdrawal.

Rules: Nghị định 118/2025/NĐ-CP (one-stop mechanism: reception regardless of the applicant's address
within the province, the receipt and appointment, refusal with reasons, a supplement requested only
once, withdrawal at the applicant's request); forms of Thông tư 03/2025/TT-VPCP.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency, Desk
from motcua.catalog.constants import DocumentForm, OnlineMode
from motcua.catalog.models import Offering, Procedure, ProcedureCase, ProcedureVersion, RequiredDocument
from motcua.catalog.processes import process_ensure
from motcua.catalog.requirements import DocumentRule, case_for, document_rules, missing_documents
from motcua.core.exceptions import DomainError, NotFound, PermissionDenied, ValidationFailed
from motcua.core.rowsql import Columns
from motcua.documents.models import DigitizedDocument
from motcua.documents.services import document_reuse, dossier_digitize, reuses_check
from motcua.dossiers.constants import ApplicantType, Channel, ReturnMethod
from motcua.dossiers.eform import validate_form
from motcua.dossiers.exceptions import NotOffered
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import (
    StoredFiles,
    Upload,
    check_uploads,
    documents_store,
    papers_record,
    refuse_too_many,
)
from motcua.identity.constants import AccountKind, Role
from motcua.identity.exceptions import ApplicantUnverified
from motcua.identity.models import User
from motcua.identity.selectors import agencies_for
from motcua.workflow.constants import Action, Actor
from motcua.workflow.steps import NoProcessInForce
from motcua.workflow.version_parts import published_required_documents, version_parts
from motcua.workflow.writer import Check, dossier_apply_action, dossier_open

__all__ = ["published_required_documents"]  # cleared between tests (conftest.py)


class IncompleteDossier(ValidationFailed):
    code = "dossier_incomplete"


@dataclass
class Application:
    """What an applicant asks for: the same whether typed online, entered at the desk or sent by API."""

    procedure_code: str
    agency_code: str  # the agency that offers the procedure and will decide it
    form_data: dict[str, Any] = field(default_factory=dict)
    uploads: list[Upload] = field(default_factory=list)
    return_method: str = ReturnMethod.ELECTRONIC
    return_address: str = ""
    authorised_name: str = ""
    authorised_id_number: str = ""
    # The case (trường hợp) chosen by its code; "" = the one the e-form answers select, or the first.
    case: str = ""
    # Conditional documents whose condition is only stated in words, ticked "applies to me".
    conditions_met: set[int] = field(default_factory=set)
    # Documents taken from the applicant's data store instead of a file: required document id → code.
    reused: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckedApplication:
    """An application that passed the checks: the case it falls under and the rule of each document
    that applies to it (``catalog.requirements``); ``documents`` holds every document of the version."""

    case: ProcedureCase | None
    rules: list[DocumentRule]
    documents: dict[int, RequiredDocument]

    def applying(self) -> dict[int, RequiredDocument]:
        return {rule.document.pk: rule.document for rule in self.rules}


@dataclass(frozen=True)
class _IntakeQueries:
    offering: str
    procedure: Columns
    version: Columns
    agency: Columns


@cache
def _intake_queries(vendor: str) -> _IntakeQueries:
    """The read of every submission, written once per process from the models' fields: compiling
    them with the ORM cost more than the rest of the submission's Python (bench/intake.py)."""
    table = connection.ops.quote_name
    procedure, version = Columns(Procedure, "p"), Columns(ProcedureVersion, "v")
    agency = Columns(Agency, "a")
    # Online dossiers wait at the agency's first active desk.
    first_desk = (
        f"SELECT d.id FROM {table(Desk._meta.db_table)} d WHERE d.agency_id = a.id AND d.is_active = %s"
        " ORDER BY d.code LIMIT 1"
    )
    offering = (
        f"SELECT {procedure.sql}, {version.sql}, {agency.sql}, ({first_desk})"
        f" FROM {table(Offering._meta.db_table)} o"
        f" JOIN {table(Procedure._meta.db_table)} p ON p.id = o.procedure_id"
        f" JOIN {table(ProcedureVersion._meta.db_table)} v ON v.id = p.current_version_id"
        f" JOIN {table(Agency._meta.db_table)} a ON a.id = o.agency_id"
        " WHERE p.code = %s AND a.code = %s AND a.is_active = %s"
    )
    return _IntakeQueries(offering, procedure, version, agency)


def _offering(application: Application) -> tuple[Procedure, Agency, int | None]:
    """The procedure with its published version, the active agency that offers it, and that agency's first
    active desk (where online dossiers are received), in one query."""
    queries = _intake_queries(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(queries.offering, [True, application.procedure_code, application.agency_code, True])
        row = cursor.fetchone()
    if row is not None:
        procedure: Procedure = queries.procedure.instance(row)
        procedure.current_version = queries.version.instance(row, len(queries.procedure.names))
        agency: Agency = queries.agency.instance(row, len(queries.procedure.names) + len(queries.version.names))
        return procedure, agency, row[-1]
    if not Procedure.objects.filter(code=application.procedure_code, current_version__isnull=False).exists():
        raise NotFound(_("Procedure %(code)s does not exist.") % {"code": application.procedure_code})
    raise NotOffered()


def _check_application(application: Application, procedure: Procedure) -> CheckedApplication:
    """The e-form, the return method, the case and the documents, checked by the rules of the
    procedure version (DOMAIN.md §4): only what applies to the case and to the answers is required,
    a conditional document when its condition holds, one document of each "one of" group."""
    version = procedure.current_version
    assert version is not None
    validate_form(version.form_schema, application.form_data)
    if application.return_method not in ReturnMethod.values:
        raise ValidationFailed(details={"return_method": [_("Choose how to receive the result.")]})
    if application.return_method == ReturnMethod.POST and not application.return_address.strip():
        raise ValidationFailed(details={"return_address": [_("Give the address the result should be posted to.")]})
    parts = version_parts(version)
    case = case_for(parts.cases, chosen=application.case.strip(), answers=application.form_data)
    rules = document_rules(
        parts.documents, case=case, answers=application.form_data, conditions_met=set(application.conditions_met)
    )
    checked = CheckedApplication(case=case, rules=rules, documents={doc.pk: doc for doc in parts.documents})
    applying = checked.applying()
    if any(u.required_document_id not in (None, *applying) for u in application.uploads):
        raise ValidationFailed(
            details={"documents": [_("A file is tied to a document this procedure does not ask for in this case.")]}
        )
    if any(u.required_document_id in application.reused for u in application.uploads):
        raise ValidationFailed(
            details={"documents": [_("A document is both attached and taken from the data store: choose one.")]},
            code="document_reused_and_attached",
        )
    return checked


def _refuse_missing(checked: CheckedApplication, given: set[int]) -> None:
    missing = missing_documents(checked.rules, given)
    if missing:
        raise IncompleteDossier(_("Some required documents are missing."), details={"documents": missing})


def applicant_id_number(user: User) -> str:
    """Whose dossier and data store: a person's ID number, an organisation's enterprise code."""
    return user.tax_code if user.kind == AccountKind.ORGANISATION else user.personal_id


def _applicant_fields(user: User) -> dict[str, Any]:
    organisation = user.kind == AccountKind.ORGANISATION
    return {
        "applicant": user,
        "applicant_type": ApplicantType.ENTERPRISE if organisation else ApplicantType.CITIZEN,
        "applicant_name": user.full_name,
        "applicant_id_number": applicant_id_number(user),
        "applicant_phone": user.phone,
        "applicant_email": user.email,
        "applicant_address": user.address,
    }


def _new_dossier(
    application: Application,
    procedure: Procedure,
    agency: Agency,
    *,
    case: ProcedureCase | None,
    receiving: Agency,
    desk: Desk | None,
    channel: str,
    applicant: User,
    created_by: Any,
) -> Dossier:
    assert procedure.current_version is not None
    return Dossier(
        procedure=procedure,
        procedure_version=procedure.current_version,
        receiving_agency=receiving,
        desk=desk,
        competent_agency=agency,
        channel=channel,
        return_method=application.return_method,
        return_address=application.return_address.strip(),
        form_data=application.form_data,
        authorised_name=application.authorised_name.strip(),
        authorised_id_number=application.authorised_id_number.strip(),
        case_code=case.code if case else "",
        case_name=case.name if case else "",
        created_by=created_by,
        **_applicant_fields(applicant),
    )


def _with_files(work: Any) -> Any:
    """Run ``work(stored)`` in a transaction; files it stored are deleted if the transaction fails."""
    stored = StoredFiles()
    try:
        with transaction.atomic():
            return work(stored)
    except BaseException:
        stored.discard()
        raise


MAX_IDEMPOTENCY_KEY = 80  # characters; a longer key is refused, never cut (cut keys collide)


class IdempotencyKeyTooLong(ValidationFailed):
    code = "idempotency_key_too_long"


class IdempotencyKeyReused(DomainError):
    code = "idempotency_key_reused"
    status = 409
    default_message = _("This idempotency key was already used for another submission.")


def idempotency_scope(actor: Any, key: str | None) -> str | None:
    """The stored form of a caller's idempotency key: scoped to the account, so one account's key never
    reaches another's dossier (API ``Idempotency-Key`` header, the submission page's form token)."""
    key = (key or "").strip()
    if len(key) > MAX_IDEMPOTENCY_KEY:
        raise IdempotencyKeyTooLong(
            _("The idempotency key has more than %(limit)d characters.") % {"limit": MAX_IDEMPOTENCY_KEY}
        )
    return f"{actor.pk}:{key}" if key and getattr(actor, "pk", None) else None


def _content_sha256(stream: Any) -> str:
    stream.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1 << 16), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def application_fingerprint(application: Application) -> str:
    """SHA-256 of the application as canonical JSON (sorted keys, files by their content's SHA-256): what
    "the same request" means for an idempotency key, whichever channel sent it."""
    canonical = {
        "procedure_code": application.procedure_code,
        "agency_code": application.agency_code,
        "form_data": application.form_data,
        "return_method": application.return_method,
        "return_address": application.return_address,
        "authorised_name": application.authorised_name,
        "authorised_id_number": application.authorised_id_number,
        "case": application.case,
        "conditions_met": sorted(application.conditions_met),
        "documents": [[u.name, u.required_document_id, _content_sha256(u.stream)] for u in application.uploads],
    }
    if application.reused:  # only when given: the fingerprints of earlier submissions stay what they were
        canonical["reused"] = {str(pk): code for pk, code in sorted(application.reused.items())}
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _submitted(scoped_key: str | None) -> Dossier | None:
    return Dossier.objects.filter(idempotency_key=scoped_key).first() if scoped_key else None


def _replayed(scoped_key: str | None, fingerprint: str) -> Dossier | None:
    """The dossier first made with this key, when the application is the same; another application with
    the key is refused (a client bug or a forged replay must not silently get someone else's answer)."""
    done = _submitted(scoped_key)
    if done is not None and done.idempotency_fingerprint not in ("", fingerprint):
        raise IdempotencyKeyReused()
    return done


def dossier_submitted_with(actor: Any, key: str | None) -> Dossier | None:
    """The dossier this account already submitted with this idempotency key, if any (the submission page
    asks before its forms are checked: the files of a page sent twice were used by the first send)."""
    return _submitted(idempotency_scope(actor, key))


@dataclass(frozen=True)
class Submission:
    dossier: Dossier
    created: bool  # False: the dossier first made with the same key and application


def dossier_submit_online(*, actor: User, application: Application, idempotency_key: str | None = None) -> Dossier:
    """A citizen or enterprise submits a dossier online (``dossier_submit_online_once``)."""
    return dossier_submit_online_once(actor=actor, application=application, idempotency_key=idempotency_key).dossier


def dossier_submit_online_once(
    *, actor: User, application: Application, idempotency_key: str | None = None
) -> Submission:
    """A citizen or enterprise submits a dossier online; it waits in the desk's queue as "Mới đăng ký".

    ``idempotency_key``: the caller's key for this one submission (at most 80 characters, scoped to the
    account). Repeating it with the same application (a double tap, a resent request) returns the dossier
    first created with it and creates nothing; with another application it is refused (409).
    """
    if actor.kind not in (AccountKind.CITIZEN, AccountKind.ORGANISATION):
        raise PermissionDenied(_("Only citizens and organisations submit dossiers online."))
    refuse_too_many(application.uploads)
    scoped_key = idempotency_scope(actor, idempotency_key)
    fingerprint = application_fingerprint(application) if scoped_key else ""
    if (done := _replayed(scoped_key, fingerprint)) is not None:
        return Submission(done, created=False)
    procedure, agency, first_desk_id = _offering(application)
    if procedure.online_mode == OnlineMode.NONE:
        raise NotOffered(_("This procedure cannot be submitted online; apply at the desk."))
    intake = _check_application(application, procedure)
    if intake.case is not None and intake.case.effective_online_mode() == OnlineMode.NONE:
        raise NotOffered(_("This case of the procedure cannot be submitted online; apply at the desk."))
    checked = check_uploads(application.uploads)
    reused = reuses_check(
        owner_id_number=_applicant_fields(actor)["applicant_id_number"],
        specs=intake.applying(),
        chosen=application.reused,
    )
    given = {u.required_document_id for u in application.uploads if u.required_document_id}
    _refuse_missing(intake, given | set(reused))

    return open_online_once(
        actor=actor,
        application=application,
        offering=(procedure, agency, first_desk_id),
        intake=intake,
        checked=checked,
        key=(scoped_key, fingerprint),
        stated=actor,
        account=actor,
        then=lambda dossier: _reuses_record(dossier, intake, reused, actor),
    )


def open_online_once(
    *,
    actor: User,
    application: Application,
    offering: tuple[Procedure, Agency, int | None],
    intake: CheckedApplication,
    checked: Any,
    key: tuple[str | None, str],
    stated: User,
    account: User | None,
    then: Callable[[Dossier], object],
) -> Submission:
    """Open a checked online dossier with its files in one transaction: it waits in the desk's queue as
    "Mới đăng ký". ``stated``: whose name, ID and contacts the dossier carries; ``account``: the account it
    belongs to; ``then``: the caller's own rows, in the same transaction. ``key`` is the scoped
    Idempotency-Key and its fingerprint: a parallel request with the same key that won the race gives its
    dossier as the answer."""
    procedure, agency, first_desk_id = offering
    scoped_key, fingerprint = key

    def work(stored: StoredFiles) -> Dossier:
        dossier = _new_dossier(
            application,
            procedure,
            agency,
            case=intake.case,
            receiving=agency,
            desk=None,
            channel=Channel.ONLINE,
            applicant=stated,
            created_by=actor,
        )
        dossier.applicant = account
        dossier.idempotency_key = scoped_key
        dossier.idempotency_fingerprint = fingerprint
        dossier.desk_id = first_desk_id
        dossier_open(actor=actor, dossier=dossier, as_kind=Actor.APPLICANT)
        documents_store(
            dossier=dossier,
            uploads=application.uploads,
            checked=checked,
            required=intake.documents,
            actor=actor,
            stored=stored,
        )
        then(dossier)
        return dossier

    try:
        dossier: Dossier = _with_files(work)
    except IntegrityError:
        # The same key raced in from a parallel request: the first one won, its dossier is the answer.
        done = _replayed(scoped_key, fingerprint)
        if done is None:
            raise
        return Submission(done, created=False)
    return Submission(dossier, created=True)


def _reuses_record(
    dossier: Dossier, intake: CheckedApplication, reused: dict[int, DigitizedDocument], actor: User
) -> None:
    for pk, source in reused.items():
        document_reuse(actor=actor, dossier=dossier, spec=intake.documents[pk], code=source.code, source=source)


def _desk_of(officer: User, desk_code: str) -> Desk:
    desk = Desk.objects.select_related("agency").filter(code=desk_code, is_active=True).first()
    if desk is None or not agencies_for(officer, [Role.DESK_OFFICER]).filter(pk=desk.agency_id).exists():
        raise PermissionDenied(_("You are not a desk officer at this desk."))
    return desk


POSTAL_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./-]{2,39}$")


def _channel_reference(channel: str, reference: str) -> str:
    """The postal order number of a dossier brought by post; nothing for one given at the desk."""
    if channel not in (Channel.DESK, Channel.POSTAL):
        raise ValidationFailed(details={"channel": [_("Choose how the dossier reached the desk.")]})
    if channel == Channel.DESK:
        return ""
    reference = reference.strip()
    if not POSTAL_REFERENCE.match(reference):
        raise ValidationFailed(
            details={"postal_order_number": [_("Type the postal order number (3 to 40 letters and digits).")]},
            code="postal_order_number_invalid",
        )
    return reference


PAPER_FORMS = (DocumentForm.ORIGINAL, DocumentForm.CERTIFIED_COPY, DocumentForm.COPY)


def dossier_receive_at_desk(
    *,
    officer: User,
    applicant: User,
    desk_code: str,
    application: Application,
    originals_seen: list[int],
    papers: dict[int, str] | None = None,
    channel: str = Channel.DESK,
    channel_reference: str = "",
) -> Dossier:
    """A desk officer enters a walk-in dossier for the applicant and receives it at once.

    Any desk of the province receives for any agency of the province (phi địa giới); the dossier is
    routed to the agency that offers the procedure. Every document the case requires must be scanned
    or given on paper (``originals_seen``: originals seen and compared; ``papers``: document id → the
    paper's real form, original, certified copy or copy), and each is recorded in that form (Nghị định
    118/2025/NĐ-CP, Thông tư 03/2025: the receipt lists what was received); otherwise the desk issues
    a supplement guide instead of receiving. The applicant's account must be verified against their card
    (identity.services.applicant_verify): a dossier is never attached to an account someone else opened
    with the applicant's number.

    ``channel``: at the desk, or a dossier the public postal service brought (Quyết định 45/2016/QĐ-TTg),
    received with its postal order number (``channel_reference``); the national channel code follows.
    """
    reference = _channel_reference(channel, channel_reference)
    if applicant.identity_verified_at is None:
        raise ApplicantUnverified()
    desk = _desk_of(officer, desk_code)
    refuse_too_many(application.uploads)
    procedure, agency, _desk = _offering(application)
    intake = _check_application(application, procedure)
    on_paper = dict.fromkeys(originals_seen, DocumentForm.ORIGINAL.value) | dict(papers or {})
    applying = intake.applying()
    if any(pk not in applying or form not in PAPER_FORMS for pk, form in on_paper.items()):
        raise ValidationFailed(
            details={"documents": [_("A paper is recorded for a document this case does not ask for.")]}
        )
    checked = check_uploads(application.uploads)
    reused = reuses_check(
        owner_id_number=_applicant_fields(applicant)["applicant_id_number"], specs=applying, chosen=application.reused
    )
    scanned = {u.required_document_id for u in application.uploads if u.required_document_id is not None}
    _refuse_missing(intake, scanned | set(on_paper) | set(reused))

    def work(stored: StoredFiles) -> Dossier:
        dossier = _new_dossier(
            application,
            procedure,
            agency,
            case=intake.case,
            receiving=desk.agency,
            desk=desk,
            channel=channel,
            applicant=applicant,
            created_by=officer,
        )
        dossier.channel_reference = reference
        dossier_open(actor=officer, dossier=dossier, as_kind=Actor.DESK)
        documents_store(
            dossier=dossier,
            uploads=application.uploads,
            checked=checked,
            required=intake.documents,
            actor=officer,
            stored=stored,
        )
        papers_record(dossier=dossier, papers=[(applying[pk], form) for pk, form in on_paper.items()], actor=officer)
        _reuses_record(dossier, intake, reused, officer)
        return _receive(officer, dossier_id=dossier.pk)

    dossier: Dossier = _with_files(work)
    return dossier


@transaction.atomic
def _receive(actor: User, *, dossier_id: int | None = None, code: str = "", check: Check | None = None) -> Dossier:
    """The reception move, then every component file digitized into the applicant's data store in the
    same transaction (``documents.services.dossier_digitize``). The writer reads the agency's process in
    force with the locked row and never publishes one; when the agency has none yet, the default process
    is published here first (``process_ensure``, generated from the procedure's time) and the reception
    runs again, so a selector or planner never writes (issue 13)."""
    try:
        dossier = dossier_apply_action(
            actor=actor, dossier_id=dossier_id, code=code, action=Action.RECEIVE, check=check
        )
    except NoProcessInForce as missing:  # refused before anything was written
        process_ensure(version=missing.version, agency=missing.agency)
        dossier = dossier_apply_action(
            actor=actor, dossier_id=dossier_id, code=code, action=Action.RECEIVE, check=check
        )
    dossier_digitize(dossier=dossier, actor=actor)
    return dossier


def dossier_receive(*, actor: User, code: str, check: Check | None = None) -> Dossier:
    """The desk accepts an online dossier; the clock starts and the appointment is set.

    ``check``: a caller's own precondition (e.g. of the move that follows in the same transaction), run
    on the locked dossier before anything is written."""
    return _receive(actor, code=code, check=check)


def dossier_refuse(*, actor: User, code: str, reason: str) -> Dossier:
    """The desk refuses to receive, with the reasons written on the refusal slip."""
    return dossier_apply_action(actor=actor, code=code, action=Action.REFUSE, note=reason)


def dossier_request_supplement(*, actor: User, code: str, missing: list[str], note: str) -> Dossier:
    """Ask the applicant to complete the dossier; the clock stops until they do.

    A dossier may be sent back for supplement only once (Nghị định 118/2025/NĐ-CP).
    """
    items = [item.strip() for item in missing if item.strip()]
    if not items:
        raise ValidationFailed(
            details={"missing": [_("List at least one document or item to complete.")]}, code="supplement_empty"
        )
    return dossier_apply_action(
        actor=actor,
        code=code,
        action=Action.REQUEST_SUPPLEMENT,
        note=note or "; ".join(items),
        payload={"missing": items},
    )


def dossier_submit_supplement(*, actor: User, code: str, uploads: list[Upload], note: str = "") -> Dossier:
    """The applicant (or the desk for them) gives what was missing; the clock runs again."""
    if not uploads:
        raise ValidationFailed(details={"documents": [_("Attach at least one file.")]}, code="supplement_empty")
    checked = check_uploads(uploads)

    def work(stored: StoredFiles) -> Dossier:
        dossier = dossier_apply_action(actor=actor, code=code, action=Action.SUBMIT_SUPPLEMENT, note=note)
        required = {doc.pk: doc for doc in dossier.procedure_version.required_documents.all()}
        documents_store(
            dossier=dossier,
            uploads=uploads,
            checked=checked,
            required=required,
            actor=actor,
            stored=stored,
            for_supplement=True,
        )
        if dossier.received_at is not None:  # a received dossier's components are in the store
            dossier_digitize(dossier=dossier, actor=actor)
        return dossier

    dossier: Dossier = _with_files(work)
    return dossier


def dossier_withdraw(*, actor: User, code: str, reason: str) -> Dossier:
    """The applicant (or the desk on their written request) withdraws a dossier not yet finished."""
    return dossier_apply_action(actor=actor, code=code, action=Action.WITHDRAW, note=reason)
