"""Writes of the data store: digitize a component or a result, and take a stored document for a dossier.

Rules: every component of a received dossier and every issued result is digitized, coded and kept in the
owner's data store with its validity (Nghị định 45/2020/NĐ-CP art. 13–14 on the electronic one-stop
procedure; Nghị định 107/2021/NĐ-CP art. 25–26; Nghị định 118/2025/NĐ-CP art. 15); an applicant is not asked
again for a document the store holds, still valid (Nghị định 45/2020/NĐ-CP art. 14).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.constants import DocumentForm
from motcua.catalog.models import RequiredDocument
from motcua.core.audit import audit
from motcua.core.exceptions import PermissionDenied, ValidationFailed
from motcua.documents import codes, scan
from motcua.documents.constants import DEFAULT_COMPONENT_VALIDITY_MONTHS, Origin, OwnerKind, TextLayer
from motcua.documents.exceptions import (
    DigitizationFeeMissing,
    DocumentExpired,
    DocumentNotInStore,
    DocumentNotReusable,
    DocumentTypeMismatch,
)
from motcua.documents.models import (
    DataStore,
    DigitizationCharge,
    DigitizedCounter,
    DigitizedDocument,
    DocumentReuse,
    DocumentType,
)
from motcua.documents.selectors import charges_digitization, digitization_fee_for
from motcua.dossiers.constants import ApplicantType
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.processing_models import DossierResult
from motcua.dossiers.selectors import dossier_for
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


def next_code(prefix: str) -> str:
    """``<prefix>.<NN>`` with the prefix's counter row locked by the increment: unique under concurrency."""
    counter, _created = DigitizedCounter.objects.select_for_update().get_or_create(prefix=prefix)
    DigitizedCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return codes.with_suffix(prefix, counter.last)


def validity_months(type_code: str) -> int | None:
    """Months a digitized copy of this type stays usable: the type's own rule, else 6 months."""
    row = DocumentType.objects.filter(code=type_code).values_list("validity_months", flat=True).first()
    if row is None and not DocumentType.objects.filter(code=type_code).exists():
        return DEFAULT_COMPONENT_VALIDITY_MONTHS
    return row


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
    store = store_for(
        owner_id_number=dossier.applicant_id_number,
        owner_name=dossier.applicant_name,
        owner_kind=owner_kind_of(dossier.applicant_type),
    )
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
    *, result: DossierResult, actor: Any, type_code: str = "", months: int | None = None
) -> DigitizedDocument:
    """An issued result into its owner's store, coded ``<owner>.<result number>.<NN>`` (DOMAIN.md §3, §7a)."""
    existing = DigitizedDocument.objects.filter(result=result).first()
    if existing is not None:
        return existing
    dossier = result.dossier
    store = store_for(
        owner_id_number=dossier.applicant_id_number,
        owner_name=dossier.applicant_name,
        owner_kind=owner_kind_of(dossier.applicant_type),
    )
    now = timezone.now()
    issued_on = timezone.localdate(result.issued_at or now)
    return DigitizedDocument.objects.create(
        store=store,
        code=next_code(codes.result_prefix(owner_id_number=dossier.applicant_id_number, result_number=result.number)),
        origin=Origin.RESULT,
        type_code=codes.code_part(type_code) if type_code else "",
        name=dossier.procedure.name[:1000],
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
    a document the case does not ask for is refused like one that cannot be reused."""
    today = local_today()
    found = {}
    for pk, code in chosen.items():
        spec = specs.get(pk)
        if spec is None:
            raise DocumentNotReusable()
        found[pk] = reusable_check(owner_id_number=owner_id_number, spec=spec, code=code, on=today)
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
    if digitized is None or digitized.text_layer != TextLayer.PENDING or digitized.dossier_document is None:
        return digitized
    source = digitized.dossier_document
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
