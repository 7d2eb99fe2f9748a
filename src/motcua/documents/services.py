"""Writes of the data store: digitize a component or a result, and take a stored document for a dossier.

Rules: every component of a received dossier and every issued result is digitized, coded and kept in the
owner's data store with its validity (Nghị định 45/2020/NĐ-CP art. 13–14 on the electronic one-stop
procedure; Nghị định 107/2021/NĐ-CP art. 25–26; Nghị định 118/2025/NĐ-CP art. 15); an applicant is not asked
again for a document the store holds, still valid (Nghị định 45/2020/NĐ-CP art. 14).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.constants import DocumentForm
from motcua.catalog.models import RequiredDocument
from motcua.core.audit import audit
from motcua.core.exceptions import DomainError, PermissionDenied, ValidationFailed
from motcua.core.identifiers import TAX_CODE, mask, personal_id_problem
from motcua.documents import certification, codes, scan
from motcua.documents.constants import (
    DEFAULT_COMPONENT_VALIDITY_MONTHS,
    SHARE_DURATIONS,
    SHARE_TOKEN_BYTES,
    Origin,
    OwnerKind,
    ShareDuration,
    TextLayer,
)
from motcua.documents.exceptions import (
    BackfileDuplicate,
    DigitizationFeeMissing,
    DocumentExpired,
    DocumentNotInStore,
    DocumentNotReusable,
    DocumentTypeMismatch,
    ShareLinkClosed,
    ShareLinkNotFound,
)
from motcua.documents.models import (
    Certification,
    CertificationBook,
    DataStore,
    DigitizationCharge,
    DigitizedCounter,
    DigitizedDocument,
    DocumentReuse,
    DocumentType,
    ShareLink,
)
from motcua.documents.selectors import charges_digitization, digitization_fee_for, owner_documents
from motcua.dossiers.constants import ApplicantType
from motcua.dossiers.exceptions import FileRejected
from motcua.dossiers.files import CheckedFile, check_upload
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.processing_models import DossierResult
from motcua.dossiers.selectors import dossier_for
from motcua.dossiers.services import StoredFiles
from motcua.signing import SignerUnavailable, signer_for

logger = logging.getLogger("motcua.documents")

# Written in the signature of a scan's store copy (Nghị định 45/2020/NĐ-CP art. 2: the digitized copy is
# signed by the officer who digitized it).
SCAN_SIGNATURE_REASON = "Số hóa từ bản giấy"
# Pages one on-demand digitization may charge for (a typing slip, not a limit of the law).
MAX_CHARGED_PAGES = 1000


def local_today() -> date:
    return timezone.localdate()


def owner_kind_of(applicant_type: str) -> str:
    return OwnerKind.PERSON if applicant_type == ApplicantType.CITIZEN else OwnerKind.ORGANISATION


def store_for(*, owner_id_number: str, owner_name: str, owner_kind: str) -> DataStore:
    """The owner's store, made on first use (one per ID number; a concurrent first use finds the other's)."""
    store, _created = DataStore.objects.get_or_create(
        owner_id_number=owner_id_number, defaults={"owner_name": owner_name[:255], "owner_kind": owner_kind}
    )
    return store


def applicant_store(dossier: Dossier) -> DataStore:
    """The store of the dossier's applicant (where its components, result or certified copy land)."""
    return store_for(
        owner_id_number=dossier.applicant_id_number,
        owner_name=dossier.applicant_name,
        owner_kind=owner_kind_of(dossier.applicant_type),
    )


def next_code(prefix: str) -> str:
    """``<prefix>.<NN>`` with the prefix's counter row locked by the increment: unique under concurrency."""
    counter, _created = DigitizedCounter.objects.select_for_update().get_or_create(prefix=prefix)
    DigitizedCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return codes.with_suffix(prefix, counter.last)


def validity_months(type_code: str) -> int | None:
    """Months a digitized copy of this type stays usable: the type's own rule, else 6 months."""
    rows = list(DocumentType.objects.filter(code=type_code).values_list("validity_months", flat=True)[:1])
    return rows[0] if rows else DEFAULT_COMPONENT_VALIDITY_MONTHS  # a type's own None: does not expire


@transaction.atomic
def component_digitize(
    *, dossier: Dossier, document: DossierDocument, actor: Any, text_layer: str = TextLayer.NOT_NEEDED
) -> DigitizedDocument:
    """One component of a dossier coded ``<owner>.<procedure>.<type>.<NN>`` into its owner's store.

    Idempotent: a component already digitized keeps its code. Paper scanned at the desk (a file a staff
    member gave) waits for its store copy: OCR into PDF/A and the officer's signature, made after the
    commit by ``tasks.scan_store_copy_task`` (``text_layer`` pending until then)."""
    existing = DigitizedDocument.objects.filter(dossier_document=document).first()
    if existing is not None:
        return existing
    if desk_scanned(document):
        text_layer = TextLayer.PENDING
    spec = document.required_document
    type_code = (spec.document_type_code if spec else "") or codes.UNTYPED
    store = applicant_store(dossier)
    now = timezone.now()
    today = timezone.localdate(now)
    prefix = codes.component_prefix(
        owner_id_number=dossier.applicant_id_number, procedure_code=dossier.procedure.code, type_code=type_code
    )
    digitized = DigitizedDocument.objects.create(
        store=store,
        code=next_code(prefix),
        origin=Origin.COMPONENT,
        type_code=codes.code_part(type_code),
        name=document.name[:1000],
        issued_on=None,
        valid_until=codes.valid_until(today, validity_months(type_code)),
        file=document.file.name,
        content_type=document.content_type,
        size=document.size,
        sha256=document.sha256,
        text_layer=text_layer,
        digitized_at=now,
        digitized_by=actor if getattr(actor, "pk", None) else None,
        dossier=dossier,
        dossier_document=document,
    )
    if text_layer == TextLayer.PENDING:
        from motcua.documents.tasks import scan_store_copy_task  # the task imports the services

        _side_effect(partial(scan_store_copy_task.enqueue, digitized_id=digitized.pk))
    return digitized


def desk_scanned(document: DossierDocument) -> bool:
    """A file a staff member gave for the applicant (scanned at the desk), not the applicant's upload."""
    officer = document.added_by
    return bool(document.file) and officer is not None and officer.is_staff_account


def _side_effect(enqueue: Callable[[], Any]) -> None:
    """Queue a task as the workflow writer does: in the transaction when the queue is a table of this
    database (its row commits with the caller's), otherwise once committed."""
    if settings.MOTCUA_TASKS_IN_TRANSACTION:
        enqueue()
    else:
        transaction.on_commit(enqueue, robust=True)


def components_to_digitize(dossier: Dossier) -> list[DossierDocument]:
    """The dossier's components given as files, not yet in the store (processing attachments excluded)."""
    return list(
        DossierDocument.objects.filter(dossier=dossier, event__isnull=True, digitized__isnull=True, reuse__isnull=True)
        .exclude(file="")
        .select_related("required_document", "added_by")
    )


@transaction.atomic
def dossier_digitize(*, dossier: Dossier, actor: Any) -> list[DigitizedDocument]:
    """Every component file of the dossier, into the applicant's store (on reception)."""
    return [component_digitize(dossier=dossier, document=d, actor=actor) for d in components_to_digitize(dossier)]


@transaction.atomic
def result_store(
    *, result: DossierResult, actor: Any, type_code: str = "", months: int | None = None, name: str = ""
) -> DigitizedDocument:
    """An issued result into its owner's store, coded ``<owner>.<result number>.<NN>`` (DOMAIN.md §3, §7a);
    named as its result type (``name``), else as the procedure."""
    existing = DigitizedDocument.objects.filter(result=result).first()
    if existing is not None:
        return existing
    dossier = result.dossier
    store = applicant_store(dossier)
    now = timezone.now()
    issued_on = timezone.localdate(result.issued_at or now)
    return DigitizedDocument.objects.create(
        store=store,
        code=next_code(codes.result_prefix(owner_id_number=dossier.applicant_id_number, result_number=result.number)),
        origin=Origin.RESULT,
        type_code=codes.code_part(type_code) if type_code else "",
        name=(name or dossier.procedure.name)[:1000],
        issuer=dossier.competent_agency.name[:255],
        issued_on=issued_on,
        valid_until=codes.valid_until(issued_on, months),
        file=result.file.name,
        content_type="application/pdf",
        size=result.file.size if result.file else 0,
        sha256=result.sha256,
        signer_subject=result.signer_subject,
        digitized_at=now,
        digitized_by=actor if getattr(actor, "pk", None) else None,
        dossier=dossier,
        result=result,
    )


def reusable_check(*, owner_id_number: str, spec: RequiredDocument, code: str, on: date) -> DigitizedDocument:
    """The stored document ``code`` if the owner's dossier may take it for ``spec``; otherwise the refusal.

    Only the applicant's own store is searched, so someone else's document answers "not in the store"."""
    if not spec.reusable:
        raise DocumentNotReusable()
    document = (
        DigitizedDocument.objects.filter(code=code, store__owner_id_number=owner_id_number)
        .select_related("store")
        .first()
    )
    if document is None:
        raise DocumentNotInStore()
    if document.valid_until is not None and document.valid_until < on:
        raise DocumentExpired()
    wanted = codes.code_part(spec.document_type_code) if spec.document_type_code else ""
    if wanted and document.type_code != wanted:
        raise DocumentTypeMismatch()
    return document


def reuses_check(
    *, owner_id_number: str, specs: dict[int, RequiredDocument], chosen: dict[int, str]
) -> dict[int, DigitizedDocument]:
    """Every chosen stored document checked before anything is written (required document id → code);
    a document the case does not ask for is refused like one that cannot be reused.

    A refusal keeps its class and code; its ``details`` name the document it is about
    (``{"documents": ["<name>: <reason>"]}``), so that a page puts the message next to the documents."""
    today = local_today()
    found = {}
    for pk, code in sorted(chosen.items()):
        spec = specs.get(pk)
        try:
            if spec is None:
                raise DocumentNotReusable()
            found[pk] = reusable_check(owner_id_number=owner_id_number, spec=spec, code=code, on=today)
        except DomainError as refused:
            reason = str(refused.message)
            text = f"{spec.name}: {reason}" if spec is not None else reason
            raise type(refused)(refused.message, details={"documents": [text]}) from None
    return found


@transaction.atomic
def document_reuse(
    *, actor: Any, dossier: Dossier, spec: RequiredDocument, code: str, source: DigitizedDocument | None = None
) -> DossierDocument:
    """The dossier takes a stored document for ``spec`` instead of a file: a component without a file of
    its own, and the reuse with its source. A refusal writes nothing. ``source``: already checked."""
    if source is None:
        source = reusable_check(owner_id_number=dossier.applicant_id_number, spec=spec, code=code, on=local_today())
    document = DossierDocument.objects.create(
        dossier=dossier,
        required_document=spec,
        name=spec.name,
        content_type=source.content_type,
        size=source.size,
        sha256=source.sha256,
        form=DocumentForm.ELECTRONIC,
        added_by=actor if getattr(actor, "pk", None) else None,
    )
    DocumentReuse.objects.create(
        dossier=dossier,
        dossier_document=document,
        source=source,
        at=timezone.now(),
        by=actor if getattr(actor, "pk", None) else None,
    )
    audit(
        actor=actor,
        action="document_reuse",
        obj=dossier,
        summary=f"{dossier.code} ← {source.code}",
        data={"source": source.code, "required_document": spec.pk},
    )
    return document


# --- the store copy of paper scanned at the desk -----------------------------------------------------


def scan_store_copy_make(*, digitized_id: int) -> DigitizedDocument | None:
    """Make the store copy of a scanned component: the scan as a PDF, searchable PDF/A when OCR is
    installed, signed (PAdES) by the officer who digitized it, kept as a new file (the dossier's own scan is
    never touched). Without OCR, or when it fails, the scan is kept as scanned and still signed; an officer
    without a signing certificate leaves it unsigned (``signer_subject`` empty), never signed by another.

    Retry-safe: the slow work runs outside any transaction, then the row is locked and written only if
    still pending; a copy that lost the race is deleted, so running twice leaves one file."""
    digitized = (
        DigitizedDocument.objects.select_related("dossier_document", "digitized_by", "dossier__desk")
        .select_related("dossier__receiving_agency")
        .filter(pk=digitized_id)
        .first()
    )
    if digitized is None or digitized.text_layer != TextLayer.PENDING:
        return digitized
    # A component's copy starts from the dossier's scan; a backfile entry from its own file (as uploaded).
    source = digitized.dossier_document or digitized
    with source.file.open("rb") as handle:
        original = handle.read()
    recognised = scan.recognise(scan.as_pdf(original, source.content_type))
    signed, subject = _scan_sign(digitized, recognised.pdf)
    name = default_storage.save(f"store/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.pdf", ContentFile(signed))
    try:
        return _scan_store_copy_record(
            digitized_id=digitized_id, name=name, data=signed, subject=subject, text_layer=recognised.text_layer
        )
    except BaseException:
        default_storage.delete(name)
        raise


def _scan_sign(digitized: DigitizedDocument, pdf: bytes) -> tuple[bytes, str]:
    """The copy signed by the officer who digitized it, and their certificate's subject; or the copy as it
    is and "" when they hold no signing certificate."""
    officer = digitized.digitized_by
    if officer is None:
        return pdf, ""
    try:
        signer = signer_for(officer.get_username())
    except SignerUnavailable:
        logger.info("store copy %s left unsigned: %s has no signing certificate", digitized.code, officer)
        return pdf, ""
    dossier = digitized.dossier
    place = ""
    if dossier is not None:
        place = dossier.desk.name if dossier.desk else dossier.receiving_agency.name
    return signer.sign(pdf, reason=SCAN_SIGNATURE_REASON, location=place), signer.identity.subject


@transaction.atomic
def _scan_store_copy_record(
    *, digitized_id: int, name: str, data: bytes, subject: str, text_layer: str
) -> DigitizedDocument:
    digitized = DigitizedDocument.objects.select_for_update().get(pk=digitized_id)
    if digitized.text_layer != TextLayer.PENDING:  # another run finished first: keep its copy
        transaction.on_commit(partial(default_storage.delete, name))
        return digitized
    digitized.file.name = name
    digitized.content_type = "application/pdf"
    digitized.size = len(data)
    digitized.sha256 = hashlib.sha256(data).hexdigest()
    digitized.signer_subject = subject
    digitized.text_layer = text_layer
    digitized.save(update_fields=["file", "content_type", "size", "sha256", "signer_subject", "text_layer"])
    audit(
        actor=None,
        action="digitized_store_copy",
        obj=digitized,
        summary=f"{digitized.code}: {text_layer}, {'signed' if subject else 'unsigned'}",
        data={"code": digitized.code, "text_layer": text_layer, "signer": subject, "sha256": digitized.sha256},
    )
    return digitized


# --- the digitization fee ----------------------------------------------------------------------------


@transaction.atomic
def digitization_charge(*, actor: Any, code: str, pages: int, note: str = "") -> DigitizationCharge:
    """A desk officer of the receiving agency charges the applicant for paper digitized on demand: pages ×
    the fee in force, an amount due on the dossier and its receipt (collected through payments)."""
    dossier = dossier_for(actor, code)
    if dossier is None or not charges_digitization(actor, dossier):
        raise PermissionDenied(_("Only a desk officer of the receiving agency charges for digitization."))
    if not 1 <= pages <= MAX_CHARGED_PAGES:
        raise ValidationFailed(
            details={"pages": [_("Give a number of pages from 1 to %(max)d.") % {"max": MAX_CHARGED_PAGES}]},
            code="digitization_pages_invalid",
        )
    fee = digitization_fee_for(dossier.receiving_agency)
    if fee is None:
        raise DigitizationFeeMissing()
    charge = DigitizationCharge.objects.create(
        dossier=dossier,
        fee_name=fee.name,
        pages=pages,
        amount_per_page=fee.amount_per_page,
        amount=pages * fee.amount_per_page,
        note=note.strip()[:500],
        charged_at=timezone.now(),
        charged_by=actor,
    )
    audit(
        actor=actor,
        action="digitization_charge",
        obj=dossier,
        summary=f"{dossier.code}: {pages} × {fee.amount_per_page} = {charge.amount}",
        data={"pages": pages, "amount_per_page": fee.amount_per_page, "amount": charge.amount},
    )
    return charge


def digitized_read_record(*, actor: Any, digitized: DigitizedDocument) -> None:
    """Every read of a store copy by staff leaves an audit entry, as reads of a dossier's documents do."""
    audit(
        actor=actor,
        action="digitized_document_read",
        obj=digitized,
        summary=digitized.code,
        data={"dossier": digitized.dossier.code if digitized.dossier else "", "sha256": digitized.sha256},
    )


# --- sharing ------------------------------------------------------------------------------------------


def share_token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def share_link_create(*, actor: Any, owner_id_number: str, code: str, duration: str) -> tuple[ShareLink, str]:
    """A link to the owner's document ``code`` open for 1 hour, 1 day or 7 days; returns the link and its
    token (shown once: only its SHA-256 is kept). Only the owner's own store is searched."""
    span = SHARE_DURATIONS.get(ShareDuration(duration)) if duration in ShareDuration.values else None
    if span is None:
        raise ValidationFailed(details={"duration": [_("Choose 1 hour, 1 day or 7 days.")]}, code="share_duration")
    document = (
        owner_documents(owner_id_number).filter(code=code).select_related("store").first() if owner_id_number else None
    )
    if document is None:
        raise DocumentNotInStore()
    token = secrets.token_urlsafe(SHARE_TOKEN_BYTES)
    now = timezone.now()
    link = ShareLink.objects.create(
        document=document,
        token_digest=share_token_digest(token),
        created_at=now,
        expires_at=now + span,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit(
        actor=actor,
        action="share_link_create",
        obj=link,
        summary=document.code,
        data={"document": document.code, "expires_at": link.expires_at.isoformat()},
    )
    return link, token


@transaction.atomic
def share_link_revoke(*, actor: Any, owner_id_number: str, link_id: int) -> ShareLink:
    """The owner closes a link before its expiry (revoking it twice changes nothing more)."""
    link = (
        ShareLink.objects.select_for_update()
        .filter(pk=link_id, document__store__owner_id_number=owner_id_number)
        .select_related("document")
        .first()
    )
    if link is None or not owner_id_number:
        raise ShareLinkNotFound()
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        audit(
            actor=actor,
            action="share_link_revoke",
            obj=link,
            summary=link.document.code,
            data={"document": link.document.code},
        )
    return link


def share_link_open(token: str) -> ShareLink:
    """The link a token names, if still open; ``ShareLinkNotFound`` (unknown) or ``ShareLinkClosed``
    (expired or revoked). Reads only."""
    link = (
        ShareLink.objects.filter(token_digest=share_token_digest(token)).select_related("document").first()
        if token
        else None
    )
    if link is None:
        raise ShareLinkNotFound()
    if not link.is_open(timezone.now()):
        raise ShareLinkClosed()
    return link


# --- staff reads through a dossier ----------------------------------------------------------------------


def data_store_read_record(
    *, actor: Any, store: DataStore, dossier: Dossier, document: DigitizedDocument | None
) -> None:
    """Every staff read of a store (its list, each download) is logged with the dossier it went through."""
    audit(
        actor=actor,
        action="data_store_read",
        object_type="documents.DataStore",
        object_id=str(store.pk),
        summary=f"{dossier.code} {document.code if document else ''}".strip(),
        data={"dossier": dossier.code, "document": document.code if document else None},
    )


@dataclass(frozen=True)
class DocumentTypeRow:
    """One document type as data: its code, its name and how many months a digitized copy stays usable
    (None: it does not expire)."""

    code: str
    name: str
    validity_months: int | None


@dataclass
class DocumentTypesReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _type_row(raw: Any, number: int) -> DocumentTypeRow:
    """A row checked: a code of capital letters, digits and dots (it becomes part of digitized codes),
    a name, and a validity of 1 to 1200 months or none."""
    raw = raw if isinstance(raw, dict) else {}
    code = str(raw.get("code") or "").strip()
    name = str(raw.get("name") or "").strip()
    months = raw.get("validity_months")
    problems = []
    if not code or len(code) > 40 or codes.code_part(code) != code:
        problems.append(_("A document type needs a code of capital letters, digits and dots."))
    if not name:
        problems.append(_("A document type needs a name."))
    if months is not None and (isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 1200):
        problems.append(_("The validity is a number of months from 1 to 1200, or empty when it does not expire."))
    if problems:
        raise ValidationFailed(details={str(number): problems}, code="document_type_invalid")
    return DocumentTypeRow(code=code, name=name[:1000], validity_months=months)


@transaction.atomic
def document_types_import(*, actor: Any, rows: Iterable[Any]) -> DocumentTypesReport:
    """Document types and their validity rules from data (a seed file, an administrator's list): each
    row ``{"code", "name", "validity_months"}`` creates or updates the type of that code; a type not
    listed is kept. All or nothing; importing the same rows again changes nothing."""
    parsed = [_type_row(raw, number) for number, raw in enumerate(rows, start=1)]
    report = DocumentTypesReport()
    existing = {t.code: t for t in DocumentType.objects.filter(code__in=[row.code for row in parsed])}
    changed = []
    for row in parsed:
        current = existing.get(row.code)
        if current is None:
            existing[row.code] = DocumentType.objects.create(
                code=row.code, name=row.name, validity_months=row.validity_months
            )
            report.created += 1
            changed.append(row.code)
        elif (current.name, current.validity_months) != (row.name, row.validity_months):
            current.name, current.validity_months = row.name, row.validity_months
            current.save(update_fields=["name", "validity_months"])
            report.updated += 1
            changed.append(row.code)
        else:
            report.unchanged += 1
    if changed:
        audit(
            actor=actor,
            action="document_types_import",
            object_type="documents.DocumentType",
            summary=f"created {report.created}, updated {report.updated}",
            data={"codes": changed[:200]},
        )
    return report


@transaction.atomic
def document_type_save(*, actor: Any, document_type: DocumentType) -> DocumentType:
    """An administrator's edit of one document type (the admin form), checked like an imported row."""
    row = _type_row(
        {"code": document_type.code, "name": document_type.name, "validity_months": document_type.validity_months}, 1
    )
    document_type.code, document_type.name, document_type.validity_months = row.code, row.name, row.validity_months
    document_type.save()
    audit(
        actor=actor,
        action="document_type_save",
        obj=document_type,
        summary=document_type.code,
        data={"code": row.code, "validity_months": row.validity_months},
    )
    return document_type


def data_store_intake_read_record(*, actor: Any, store_id: int, data: dict[str, Any]) -> None:
    """A staff member read someone's data store at intake, to offer stored documents (Nghị định 13/2023/NĐ-CP
    on personal data; issue 14: every staff access is logged): one audit row, action ``data_store_read``,
    with why (``data``, e.g. ``{"purpose": "intake", "procedure": "1.004859"}``)."""
    audit(
        actor=actor,
        action="data_store_read",
        object_type="documents.DataStore",
        object_id=str(store_id),
        data=data,
    )


# --- backfile -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Backfile:
    """An earlier result on paper, still in force, to digitize into its owner's store."""

    owner_id_number: str
    owner_name: str
    owner_kind: str
    result_number: str
    type_code: str
    name: str
    issuer: str
    issued_on: date
    valid_until: date | None
    file_name: str
    stream: IO[bytes]
    size: int


def owner_id_problem(owner_id_number: str, owner_kind: str) -> str | None:
    """Why an owner's identifier is wrong for its kind (DOMAIN.md §3), or None."""
    if owner_kind == OwnerKind.PERSON:
        if personal_id_problem(owner_id_number) is not None:
            return str(_("The personal identification number must have 12 digits in the official structure."))
        return None
    if owner_kind == OwnerKind.ORGANISATION:
        if not TAX_CODE.match(owner_id_number):
            return str(_("The enterprise code must have 10 digits, or 10 digits, a dash and 3 digits for a branch."))
        return None
    return str(_("Choose a person or an organisation."))


def _backfile_check(paper: Backfile) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    problem = owner_id_problem(paper.owner_id_number, paper.owner_kind)
    if problem:
        errors["owner_id_number"] = [problem]
    for field in ("owner_name", "result_number", "name", "issuer"):
        if not getattr(paper, field).strip():
            errors[field] = [str(_("This field is required."))]
    if not codes.code_part(paper.result_number).strip(".") or codes.code_part(paper.result_number) == codes.UNTYPED:
        errors.setdefault("result_number", [str(_("The number must contain letters or digits."))])
    today = local_today()
    if paper.issued_on > today:
        errors["issued_on"] = [str(_("The issue date cannot be in the future."))]
    if paper.valid_until is not None and paper.valid_until < today:
        errors["valid_until"] = [str(_("This paper is no longer in force: only results still valid are digitized."))]
    if paper.valid_until is not None and paper.valid_until < paper.issued_on:
        errors["valid_until"] = [str(_("The end of validity is before the issue date."))]
    return errors


def backfile_digitize(*, actor: Any, paper: Backfile) -> DigitizedDocument:
    """A result issued before the system (paper still in force) scanned into its owner's store, coded like a
    result ``<owner>.<number on the paper>.<NN>`` (DOMAIN.md §3, §8; Nghị định 45/2020/NĐ-CP art. 25:
    digitizing the results still in force), audited. Everything is checked before anything is written; the
    file is removed again if the transaction does not commit.

    Hook for the officer's signature and the text layer of scans (issue 14 part S1): the scan is kept as given
    (``TextLayer.UNAVAILABLE``, ``signer_subject`` empty) until S1's task is enqueued at the marked line."""
    errors = _backfile_check(paper)
    checked = None
    try:
        checked = check_upload(paper.stream, size=paper.size)
    except FileRejected as exc:
        errors["file"] = [str(exc.message)]
    if errors or checked is None:
        raise ValidationFailed(details=errors, code="backfile_invalid")
    prefix = codes.result_prefix(owner_id_number=paper.owner_id_number, result_number=paper.result_number)
    stored = StoredFiles()
    try:
        with transaction.atomic():
            document = _backfile_write(actor=actor, paper=paper, checked=checked, prefix=prefix, stored=stored)
    except BaseException:
        stored.discard()
        raise
    return document


def _backfile_write(
    *, actor: Any, paper: Backfile, checked: CheckedFile, prefix: str, stored: StoredFiles
) -> DigitizedDocument:
    store = store_for(owner_id_number=paper.owner_id_number, owner_name=paper.owner_name, owner_kind=paper.owner_kind)
    # The owner's store row locked: two officers digitizing the same paper at once cannot both pass the check.
    DataStore.objects.select_for_update().filter(pk=store.pk).first()
    if (
        DigitizedDocument.objects.filter(store=store, code__startswith=f"{prefix}.")
        .filter(origin__in=[Origin.BACKFILE, Origin.RESULT])
        .exists()
    ):
        raise BackfileDuplicate()
    now = timezone.now()
    name = default_storage.save(
        f"store/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{checked.extension}", File(paper.stream)
    )
    stored.names.append(name)
    document = DigitizedDocument.objects.create(
        store=store,
        code=next_code(prefix),
        origin=Origin.BACKFILE,
        type_code=codes.code_part(paper.type_code) if paper.type_code.strip() else "",
        name=paper.name.strip()[:1000],
        issuer=paper.issuer.strip()[:255],
        issued_on=paper.issued_on,
        valid_until=paper.valid_until,
        file=name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        text_layer=TextLayer.PENDING,
        digitized_at=now,
        digitized_by=actor if getattr(actor, "pk", None) else None,
    )
    # The scan becomes a searchable PDF/A signed by the officer, after commit, like a desk scan.
    from motcua.documents.tasks import scan_store_copy_task  # the task imports the services

    _side_effect(partial(scan_store_copy_task.enqueue, digitized_id=document.pk))
    audit(
        actor=actor,
        action="backfile_digitize",
        obj=document,
        summary=document.code,
        data={"document": document.code, "owner": mask(paper.owner_id_number), "sha256": checked.sha256},
    )
    return document


# --- certified electronic copies from originals (Nghị định 23/2015/NĐ-CP, Nghị định 45/2020/NĐ-CP art. 14) ---


def certification_number_take(*, agency: Any, year: int) -> tuple[CertificationBook, int]:
    """The next number of the agency's certification book for ``year`` (Nghị định 23/2015/NĐ-CP art. 13):
    the book row is locked by the increment, so numbers are unique and, since a refused certification
    rolls the increment back with everything else, without gaps."""
    book, _created = CertificationBook.objects.select_for_update().get_or_create(
        agency=agency, year=year, defaults={"volume": certification.volume_label(year)}
    )
    CertificationBook.objects.filter(pk=book.pk).update(last=F("last") + 1)
    book.refresh_from_db(fields=["last"])
    return book, book.last


@dataclass(frozen=True)
class CertifiedCopy:
    """What a certification wrote on the copy, to be kept in the book and the applicant's store."""

    book: CertificationBook
    number: int
    pdf_name: str
    size: int
    sha256: str
    signer_subject: str
    document_name: str
    pages: int
    copies: int
    fee: int
    certifier_name: str
    certifier_title: str
    at: Any


@transaction.atomic
def certified_copy_store(*, dossier: Dossier, result: DossierResult, copy: CertifiedCopy, actor: Any) -> Certification:
    """The signed copy into the applicant's store (origin certified copy, coded like a result:
    ``<owner>.CT.<agency>.<year>.<number>.<NN>``, no expiry) and its entry in the certification book."""
    store = applicant_store(dossier)
    agency = copy.book.agency
    issued_on = timezone.localdate(copy.at)
    prefix = certification.copy_prefix(
        owner_id_number=dossier.applicant_id_number, agency_code=agency.code, year=copy.book.year, number=copy.number
    )
    document = DigitizedDocument.objects.create(
        store=store,
        code=next_code(prefix),
        origin=Origin.CERTIFIED_COPY,
        type_code="",
        name=f"Bản sao điện tử có chứng thực: {copy.document_name}"[:1000],
        issuer=agency.name[:255],
        issued_on=issued_on,
        valid_until=None,
        file=copy.pdf_name,
        content_type="application/pdf",
        size=copy.size,
        sha256=copy.sha256,
        signer_subject=copy.signer_subject[:500],
        digitized_at=copy.at,
        digitized_by=actor if getattr(actor, "pk", None) else None,
        dossier=dossier,
        result=result,
    )
    entry = Certification.objects.create(
        book=copy.book,
        number=copy.number,
        dossier=dossier,
        document=document,
        requester_name=dossier.applicant_name[:255],
        requester_id_number=dossier.applicant_id_number,
        document_name=copy.document_name[:1000],
        pages=copy.pages,
        copies=copy.copies,
        fee=copy.fee,
        certifier=actor,
        certifier_name=copy.certifier_name[:255],
        certifier_title=copy.certifier_title[:255],
        certified_at=copy.at,
    )
    audit(
        actor=actor,
        action="certified_copy_issue",
        obj=dossier,
        summary=f"{dossier.code}: {copy.number} {copy.book.volume}",
        data={"code": document.code, "pages": copy.pages, "copies": copy.copies, "fee": copy.fee},
    )
    return entry
