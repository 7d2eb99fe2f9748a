"""Writes of dossier content other than status: stored documents. Status belongs to workflow.writer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from motcua.catalog.constants import DocumentForm
from motcua.catalog.models import RequiredDocument
from motcua.core.exceptions import ValidationFailed
from motcua.core.rowsql import insert_rows
from motcua.dossiers.files import MAX_DOCUMENTS, CheckedFile, check_upload
from motcua.dossiers.models import Dossier, DossierDocument


@dataclass(frozen=True)
class Upload:
    """A file given for a required document (``required_document_id``) or as an extra document."""

    name: str
    stream: IO[bytes]
    size: int
    required_document_id: int | None = None


def refuse_too_many(uploads: list[Upload]) -> None:
    """At most ``MAX_DOCUMENTS`` files in one submission, reception or supplement: a fixed cap well above
    what a procedure asks for (one request of 20,000 tiny files held SQLite's write lock for 27 s)."""
    if len(uploads) > MAX_DOCUMENTS:
        raise ValidationFailed(
            details={"documents": [_("Attach at most %(limit)d files.") % {"limit": MAX_DOCUMENTS}]},
            code="too_many_documents",
        )


def check_uploads(uploads: list[Upload]) -> list[CheckedFile]:
    """Each file checked by its content (``dossiers.files.check_upload``), after their number."""
    refuse_too_many(uploads)
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
            form=DocumentForm.ELECTRONIC,
            added_by=actor if getattr(actor, "pk", None) else None,
        )
        document.file.save(f"upload.{info.extension}", File(upload.stream), save=False)
        stored.names.append(str(document.file.name))
        documents.append(document)
    return insert_rows(documents)  # one INSERT … RETURNING, not compiled per call (bench/intake.py)


def papers_record(*, dossier: Dossier, papers: list[tuple[RequiredDocument, str]], actor: Any) -> None:
    """The desk received these documents on paper, each in the form it really had: the original seen
    and compared (kept by the applicant), a certified copy or a plain copy (kept in the dossier)."""
    DossierDocument.objects.bulk_create(
        DossierDocument(
            dossier=dossier,
            required_document=spec,
            name=spec.name,
            original_seen=form == DocumentForm.ORIGINAL,
            form=form,
            added_by=actor,
        )
        for spec, form in papers
    )
