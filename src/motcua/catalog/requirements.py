"""Which documents a dossier needs, given its case and the e-form answers (DOMAIN.md §4).

Pure functions over the catalog objects passed in: a document's cases are read through
``document.cases.all()``, so callers prefetch them (``prefetch_related("cases")``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from motcua.catalog.constants import Requirement
from motcua.catalog.exceptions import UnknownCase
from motcua.catalog.models import ProcedureCase, RequiredDocument


@dataclass(frozen=True)
class DocumentRule:
    document: RequiredDocument
    mandatory: bool  # must be given for this case and these answers
    condition_label: str  # "" when unconditional; shown as "(Trường hợp …)"
    group: str  # one-of group, "" otherwise


def answer_matches(test: Mapping[str, Any], answers: Mapping[str, Any]) -> bool | None:
    """``{"field": f, "equals": v}`` against the answers: True, False, or None when not answered."""
    name = test.get("field") if test else None
    if not name or name not in answers:
        return None
    return bool(answers[name] == test.get("equals"))


def case_for(cases: Sequence[ProcedureCase], *, chosen: str, answers: Mapping[str, Any]) -> ProcedureCase | None:
    """The case of a dossier: the chosen code wins, then the first case whose selector matches the
    answers, then the first case (the general one). None when the version has no cases."""
    if chosen:
        for case in cases:
            if case.code == chosen:
                return case
        raise UnknownCase(details={"case": [chosen]})
    for case in cases:
        if answer_matches(case.selector, answers):
            return case
    return cases[0] if cases else None


def applies_to(document: RequiredDocument, case: ProcedureCase | None) -> bool:
    """A document without cases applies to every case; with no case chosen, every document applies."""
    if case is None:
        return True
    codes = {c.code for c in document.cases.all()}
    return not codes or case.code in codes


def document_rules(
    documents: Sequence[RequiredDocument],
    *,
    case: ProcedureCase | None,
    answers: Mapping[str, Any],
    conditions_met: set[int],
) -> list[DocumentRule]:
    """The documents of the case, each with whether it must be given.

    A conditional document is mandatory when its e-form condition holds or it was ticked (its id in
    ``conditions_met``); it is left out when the e-form says the condition does not hold and nobody
    ticked it; otherwise (label-only, unanswered) it is shown with its condition, not mandatory.
    """
    rules = []
    for document in documents:
        if not applies_to(document, case):
            continue
        requirement = document.requirement
        label = ""
        mandatory = requirement == Requirement.ALWAYS
        if requirement == Requirement.CONDITIONAL:
            label = document.condition_label
            holds = True if document.pk in conditions_met else answer_matches(document.condition, answers)
            if holds is False:
                continue
            mandatory = bool(holds)
        group = document.group if requirement == Requirement.ONE_OF else ""
        rules.append(DocumentRule(document=document, mandatory=mandatory, condition_label=label, group=group))
    return rules


def missing_documents(rules: Sequence[DocumentRule], given: set[int]) -> list[str]:
    """Names of mandatory documents not given, then one entry per one-of group with none given."""
    missing = [rule.document.name for rule in rules if rule.mandatory and rule.document.pk not in given]
    groups: dict[str, list[RequiredDocument]] = {}
    for rule in rules:
        if rule.group:
            groups.setdefault(rule.group, []).append(rule.document)
    for members in groups.values():
        if not any(member.pk in given for member in members):
            names = "; ".join(member.name for member in members)
            missing.append(_("One of: %(names)s") % {"names": names})
    return missing
