"""What a procedure version asks for (documents, cases), read once per process for published versions.

Shared by the intake checks (``workflow.services``) and the due time (``workflow.deadlines``, a case
may have its own processing time).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from motcua.catalog.constants import VersionStatus
from motcua.catalog.models import ProcedureCase, ProcedureVersion, RequiredDocument


@dataclass(frozen=True)
class VersionParts:
    """A version's documents (with their cases prefetched) and its cases (with their version)."""

    documents: tuple[RequiredDocument, ...]
    cases: tuple[ProcedureCase, ...]

    def case(self, code: str) -> ProcedureCase | None:
        return next((case for case in self.cases if case.code == code), None) if code else None


def read_parts(version_id: int) -> VersionParts:
    documents = RequiredDocument.objects.filter(version_id=version_id).prefetch_related("cases")
    cases = ProcedureCase.objects.filter(version_id=version_id).select_related("version")
    return VersionParts(
        documents=tuple(documents.order_by("position", "id")), cases=tuple(cases.order_by("position", "id"))
    )


@lru_cache(maxsize=4096)
def published_required_documents(version_id: int) -> VersionParts:
    """The documents and cases of a published procedure version: a published version never changes
    (``catalog.models``: VersionImmutable), so each process reads them once."""
    return read_parts(version_id)


def version_parts(version: ProcedureVersion) -> VersionParts:
    if version.status == VersionStatus.DRAFT:
        return read_parts(version.pk)
    return published_required_documents(version.pk)


def processing_time(version: ProcedureVersion, case_code: str) -> tuple[Decimal | None, str]:
    """The time to decide a dossier of this case: the case's own time, else the version's."""
    return version.time_for_case(version_parts(version).case(case_code))
