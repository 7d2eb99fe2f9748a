"""Staff reads of a dossier's documents: permission-checked and audited (ARCHITECTURE.md §4.8)."""

from __future__ import annotations

from typing import Any

from motcua.core.audit import audit
from motcua.dossiers.models import DossierDocument
from motcua.dossiers.selectors import dossiers_visible_to


def dossier_document_for(user: Any, code: str, document_id: int) -> DossierDocument | None:
    """A stored file of a dossier ``user`` may see; None when the dossier or the file is not there for them."""
    visible = dossiers_visible_to(user).filter(code=code).values("pk")
    documents = DossierDocument.objects.select_related("dossier").filter(dossier__in=visible, pk=document_id)
    return documents.exclude(file="").first()


def document_read_record(*, actor: Any, document: DossierDocument) -> None:
    """Every read of a dossier's document by staff leaves an audit entry (who read what, when)."""
    audit(
        actor=actor,
        action="dossier_document_read",
        obj=document,
        summary=f"{document.dossier.code} {document.name}",
        data={"dossier": document.dossier.code, "sha256": document.sha256},
    )
