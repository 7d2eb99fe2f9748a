"""The documents of a submission page (online and at the desk) with what the catalog's rules say about
each one for the case and answers known so far (``catalog.requirements``). Presentation only: the
intake services apply the same rules again when the dossier is submitted."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from motcua.catalog.constants import Requirement
from motcua.catalog.exceptions import UnknownCase
from motcua.catalog.models import ProcedureCase, RequiredDocument
from motcua.catalog.requirements import answer_matches, case_for, document_rules
from motcua.workflow.version_parts import VersionParts


@dataclass(frozen=True)
class DocumentRow:
    document: RequiredDocument
    applies: bool  # to the case and answers known now (otherwise shown only without JavaScript)
    mandatory: bool
    condition_label: str
    label_only: bool  # a condition stated in words only: the applicant ticks "applies to me"
    group: str
    case_codes: tuple[str, ...]  # "" = every case
    case_names: tuple[str, ...]

    @property
    def condition_json(self) -> str:
        """The e-form condition for the page's script (hides or requires the document as answers change)."""
        return json.dumps(self.document.condition) if self.document.condition else ""


def chosen_case(parts: VersionParts, *, chosen: str, answers: dict[str, Any]) -> ProcedureCase | None:
    """The case as the page knows it: the choice, else the one the answers select (or the first)."""
    try:
        return case_for(parts.cases, chosen=chosen, answers=answers)
    except UnknownCase:
        return case_for(parts.cases, chosen="", answers=answers)


def selected_case(parts: VersionParts, answers: dict[str, Any]) -> ProcedureCase | None:
    """The case to preselect on a new page: the only one, or the one the answers select; else none."""
    if len(parts.cases) == 1:
        return parts.cases[0]
    return next((c for c in parts.cases if answer_matches(c.selector, answers)), None)


def document_rows(
    parts: VersionParts, *, case: ProcedureCase | None, answers: dict[str, Any], conditions_met: set[int]
) -> list[DocumentRow]:
    rules = {
        r.document.pk: r
        for r in document_rules(parts.documents, case=case, answers=answers, conditions_met=conditions_met)
    }
    rows = []
    for document in parts.documents:
        rule = rules.get(document.pk)
        cases = list(document.cases.all())
        conditional = document.requirement == Requirement.CONDITIONAL
        rows.append(
            DocumentRow(
                document=document,
                applies=rule is not None,
                mandatory=bool(rule and rule.mandatory),
                condition_label=document.condition_label if conditional else "",
                label_only=conditional and not document.condition,
                group=document.group if document.requirement == Requirement.ONE_OF else "",
                case_codes=tuple(c.code for c in cases),
                case_names=tuple(c.name for c in cases),
            )
        )
    return rows


def ticked_conditions(data: Any, documents: tuple[RequiredDocument, ...]) -> set[int]:
    """Label-only conditions ticked on the page ("applies_<id>")."""
    return {d.pk for d in documents if data.get(f"applies_{d.pk}") in ("on", "true", "1")}
