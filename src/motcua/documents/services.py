"""Writes of the data store: digitize a component or a result, and take a stored document for a dossier.

Rules: every component of a received dossier and every issued result is digitized, coded and kept in the
owner's data store with its validity (Nghị định 45/2020/NĐ-CP art. 13–14 on the electronic one-stop
procedure; Nghị định 107/2021/NĐ-CP art. 25–26; Nghị định 118/2025/NĐ-CP art. 15); an applicant is not asked
again for a document the store holds, still valid (Nghị định 45/2020/NĐ-CP art. 14).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from motcua.catalog.constants import DocumentForm
from motcua.catalog.models import RequiredDocument
from motcua.core.audit import audit
from motcua.documents import certification, codes
from motcua.documents.constants import DEFAULT_COMPONENT_VALIDITY_MONTHS, Origin, OwnerKind, TextLayer
from motcua.documents.exceptions import (
    DocumentExpired,
    DocumentNotInStore,
    DocumentNotReusable,
    DocumentTypeMismatch,
)
from motcua.documents.models import (
    Certification,
    CertificationBook,
    DataStore,
    DigitizedCounter,
    DigitizedDocument,
    DocumentReuse,
    DocumentType,
)
from motcua.dossiers.constants import ApplicantType
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.processing_models import DossierResult


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

    Idempotent: a component already digitized keeps its code."""
    existing = DigitizedDocument.objects.filter(dossier_document=document).first()
    if existing is not None:
        return existing
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
    return DigitizedDocument.objects.create(
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


def components_to_digitize(dossier: Dossier) -> list[DossierDocument]:
    """The dossier's components given as files, not yet in the store (processing attachments excluded)."""
    return list(
        DossierDocument.objects.filter(dossier=dossier, event__isnull=True, digitized__isnull=True, reuse__isnull=True)
        .exclude(file="")
        .select_related("required_document")
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
    store = store_for(
        owner_id_number=dossier.applicant_id_number,
        owner_name=dossier.applicant_name,
        owner_kind=owner_kind_of(dossier.applicant_type),
    )
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
