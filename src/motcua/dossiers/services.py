"""Writes of dossier content other than status: stored documents. Status belongs to workflow.writer."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import IO, Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import Field

from motcua.catalog.models import RequiredDocument
from motcua.dossiers.files import CheckedFile, check_upload
from motcua.dossiers.models import Dossier, DossierDocument


@dataclass(frozen=True)
class Upload:
    """A file given for a required document (``required_document_id``) or as an extra document."""

    name: str
    stream: IO[bytes]
    size: int
    required_document_id: int | None = None


def check_uploads(uploads: list[Upload]) -> list[CheckedFile]:
    return [check_upload(u.stream, size=u.size) for u in uploads]


class StoredFiles:
    """Files written during one service call; removed again if the transaction does not commit."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def discard(self) -> None:
        for name in self.names:
            default_storage.delete(name)
        self.names.clear()


def documents_store(
    *,
    dossier: Dossier,
    uploads: list[Upload],
    checked: list[CheckedFile],
    required: dict[int, RequiredDocument],
    actor: Any,
    stored: StoredFiles,
    for_supplement: bool = False,
) -> list[DossierDocument]:
    documents = []
    for upload, info in zip(uploads, checked, strict=True):
        spec = required.get(upload.required_document_id or -1)
        document = DossierDocument(
            dossier=dossier,
            required_document=spec,
            name=spec.name if spec else upload.name[:1000],
            original_name=upload.name[:255],
            content_type=info.content_type,
            size=info.size,
            sha256=info.sha256,
            for_supplement=for_supplement,
            added_by=actor if getattr(actor, "pk", None) else None,
        )
        document.file.save(f"upload.{info.extension}", File(upload.stream), save=False)
        stored.names.append(str(document.file.name))
        documents.append(document)
    return _insert_documents(documents)


@cache
def _document_insert(vendor: str) -> tuple[str, str, list[Field[Any, Any]]] | None:
    """The start of ``INSERT INTO documents (…) VALUES``, one row's placeholders and the fields written, built
    once per process from the model; None if a field needs the ORM (a database default, a generated
    column) or the database cannot return the new ids."""
    meta = DossierDocument._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    if (
        any(f.generated or f.has_db_default() for f in fields)
        or not connection.features.can_return_rows_from_bulk_insert
    ):
        return None
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(str(f.column)) for f in fields)}) VALUES "
    return head, "(" + ", ".join(["%s"] * len(fields)) + ")", fields


def _insert_documents(documents: list[DossierDocument]) -> list[DossierDocument]:
    """One INSERT … RETURNING id for all the documents, values prepared as the ORM prepares them.

    ``bulk_create`` writes the same statement but compiling it costs more than the rest of storing two
    files (bench/intake.py); it remains the way when the model has a field this SQL does not handle.
    """
    insert = _document_insert(connection.vendor)
    if insert is None:
        return DossierDocument.objects.bulk_create(documents)
    if not documents:
        return documents
    head, row, fields = insert
    params = [f.get_db_prep_save(f.pre_save(document, True), connection) for document in documents for f in fields]
    returning = connection.ops.quote_name(str(DossierDocument._meta.pk.column))
    with connection.cursor() as cursor:
        cursor.execute(f"{head}{', '.join([row] * len(documents))} RETURNING {returning}", params)
        ids = [pk for (pk,) in cursor.fetchall()]
    for document, pk in zip(documents, ids, strict=True):
        document.pk = pk
        document._state.adding = False
        document._state.db = DEFAULT_DB_ALIAS
    return documents


def originals_record(*, dossier: Dossier, required: list[RequiredDocument], actor: Any) -> None:
    """The desk saw the paper original of these documents (and scanned nothing for them)."""
    DossierDocument.objects.bulk_create(
        DossierDocument(dossier=dossier, required_document=spec, name=spec.name, original_seen=True, added_by=actor)
        for spec in required
    )
