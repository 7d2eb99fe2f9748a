"""The public notice of a procedure version: its cases and documents arranged for reading.

Pure arrangement of objects already loaded (``selectors.procedure_detail`` prefetches them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from motcua.catalog.constants import OnlineMode, Requirement, TimeUnit
from motcua.catalog.models import Fee, ProcedureCase, ProcedureVersion, RequiredDocument


@dataclass(frozen=True)
class CaseNotice:
    case: ProcedureCase
    time_amount: Decimal | None
    time_unit: str
    time_unit_label: str
    online_mode: str
    online_mode_label: str
    fees: list[Fee]


@dataclass
class DocumentEntry:
    """One document, or the members of a one-of group (shown together where the first one stands)."""

    documents: list[RequiredDocument]
    group: str = ""
    case_names: list[str] = field(default_factory=list)


def _case_names(part: RequiredDocument | Fee) -> list[str]:
    return [case.name for case in sorted(part.cases.all(), key=lambda c: (c.position, c.pk))]


def case_notices(version: ProcedureVersion) -> list[CaseNotice]:
    fees = list(version.fees.all())
    notices = []
    for case in version.cases.all():
        amount, unit = case.effective_time()
        mode = case.effective_online_mode()
        own_fees = [fee for fee in fees if not fee.cases.all() or case in fee.cases.all()]
        notices.append(
            CaseNotice(
                case=case,
                time_amount=amount,
                time_unit=unit,
                time_unit_label=str(TimeUnit(unit).label) if unit in TimeUnit.values else unit,
                online_mode=mode,
                online_mode_label=str(OnlineMode(mode).label) if mode in OnlineMode.values else mode,
                fees=own_fees,
            )
        )
    return notices


def document_entries(version: ProcedureVersion) -> list[DocumentEntry]:
    entries: list[DocumentEntry] = []
    groups: dict[str, DocumentEntry] = {}
    for document in version.required_documents.all():
        if document.requirement == Requirement.ONE_OF and document.group:
            if document.group in groups:
                groups[document.group].documents.append(document)
                continue
            groups[document.group] = DocumentEntry([document], document.group, _case_names(document))
            entries.append(groups[document.group])
        else:
            entries.append(DocumentEntry([document], "", _case_names(document)))
    return entries
