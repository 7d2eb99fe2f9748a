"""Writes of the data store: digitize a component or a result, and take a stored document for a dossier.

Rules: every component of a received dossier and every issued result is digitized, coded and kept in the
owner's data store with its validity (Nghị định 45/2020/NĐ-CP art. 13–14 on the electronic one-stop
procedure; Nghị định 107/2021/NĐ-CP art. 25–26; Nghị định 118/2025/NĐ-CP art. 15); an applicant is not asked
again for a document the store holds, still valid (Nghị định 45/2020/NĐ-CP art. 14).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.constants import DocumentForm
from motcua.catalog.models import RequiredDocument
from motcua.core.audit import audit
from motcua.core.exceptions import DomainError, ValidationFailed
from motcua.documents import codes
from motcua.documents.constants import DEFAULT_COMPONENT_VALIDITY_MONTHS, Origin, OwnerKind, TextLayer
from motcua.documents.exceptions import (
    DocumentExpired,
    DocumentNotInStore,
    DocumentNotReusable,
    DocumentTypeMismatch,
)
from motcua.documents.models import DataStore, DigitizedCounter, DigitizedDocument, DocumentReuse, DocumentType
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


def data_store_read_record(*, actor: Any, store_id: int, data: dict[str, Any]) -> None:
    """A staff member read someone's data store (Nghị định 13/2023/NĐ-CP on personal data; issue 14:
    every staff access is logged): one audit row, action ``data_store_read``, with why (``data``, e.g.
    ``{"purpose": "intake", "procedure": "1.004859"}``)."""
    audit(
        actor=actor,
        action="data_store_read",
        object_type="documents.DataStore",
        object_id=str(store_id),
        data=data,
    )
