"""A dossier walked to its result (and returned) through the real workflow, for the rating tests."""

from __future__ import annotations

from typing import Any

from motcua.dossiers.models import Dossier
from motcua.workflow.constants import ReturnVia
from motcua.workflow.processing import dossier_approve, dossier_forward, dossier_issue_result, dossier_return_result
from tests.processing import received_birth_dossier


def result_ready(people: dict[str, Any], staff: dict[str, Any]) -> Dossier:
    """Received by ``people["desk"]`` at commune A, decided, its result issued (Result ready)."""
    code = received_birth_dossier(people).code
    dossier_forward(actor=people["desk"], code=code, assignee=people["specialist"])
    dossier_forward(actor=people["specialist"], code=code, assignee=staff["leader"])
    dossier_approve(actor=staff["leader"], code=code, assignee=staff["clerk"])
    return dossier_issue_result(actor=staff["clerk"], code=code)


def returned(people: dict[str, Any], staff: dict[str, Any], via: str = ReturnVia.DESK) -> Dossier:
    code = result_ready(people, staff).code
    return dossier_return_result(actor=people["desk"], code=code, via=via)
