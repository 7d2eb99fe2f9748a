"""The documents of a submission page (online and at the desk) with what the catalog's rules say about
each one for the case and answers known so far (``catalog.requirements``). Presentation only: the
intake services apply the same rules again when the dossier is submitted."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from motcua.catalog.constants import Requirement
from motcua.catalog.exceptions import UnknownCase
from motcua.catalog.models import ProcedureCase, RequiredDocument
from motcua.catalog.requirements import answer_matches, case_for, document_rules
from motcua.documents.codes import code_part
from motcua.documents.models import DigitizedDocument
from motcua.documents.selectors import reuse_proposals
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


def reuse_offers(
    documents: Iterable[RequiredDocument], *, owner_id_number: str, on: date
) -> dict[int, list[DigitizedDocument]]:
    """For each document the catalog lets an applicant take from their data store (``reusable``, with a
    document type), the owner's documents of that type still valid on ``on``: components of earlier
    dossiers and results alike, newest first (required document id → documents). One query, none when
    the version has nothing reusable; the intake services check the choice again."""
    reusable = [d for d in documents if d.reusable and d.document_type_code]
    if not reusable or not owner_id_number:
        return {}
    found = reuse_proposals(owner_id_number=owner_id_number, type_codes=[d.document_type_code for d in reusable], on=on)
    return {d.pk: found[code_part(d.document_type_code)] for d in reusable if code_part(d.document_type_code) in found}


@dataclass(frozen=True)
class ReuseChoice:
    """A document the applicant may take from their data store, on a submission page: the radio's
    field name, the stored documents offered (``reuse_offers``) and the code chosen ("" = a file)."""

    name: str
    offers: list[DigitizedDocument]
    chosen: str

    @property
    def shown(self) -> str:
        """The radio to check on the page: the chosen stored document if it is on offer, else the file."""
        return self.chosen if any(d.code == self.chosen for d in self.offers) else ""


def reuse_choice(
    document: RequiredDocument, offers: list[DigitizedDocument], *, data: Mapping[str, Any] | None
) -> ReuseChoice | None:
    """The choice for one document of a page: what was sent (``data``: the POST; any code, which the
    intake service checks and refuses with its reason), else on a new page the newest document offered,
    so that nobody is asked again for what their store holds. None: nothing to choose (not reusable, or
    nothing on offer and nothing sent)."""
    name = f"reuse_{document.pk}"
    if data is not None:
        chosen = str(data.get(name) or "").strip()
        if not offers and not (document.reusable and chosen):
            return None
        return ReuseChoice(name, offers, chosen)
    return ReuseChoice(name, offers, offers[0].code) if offers else None
