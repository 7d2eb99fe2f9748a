"""Building blocks for data-store tests: a dossier carried to an issued result, through the services."""

from __future__ import annotations

from typing import Any

from motcua.workflow.processing import dossier_approve, dossier_forward, dossier_issue_result
from motcua.workflow.services import dossier_submit_online
from motcua.workflow.version_parts import published_required_documents
from tests.processing import received_birth_dossier

__all__ = [
    "approved_dossier",
    "dossier_submit_online",
    "issued_dossier",
    "published_required_documents",
    "rejected_dossier",
]


def approved_dossier(people: dict[str, Any], staff: dict[str, Any]) -> str:
    """A received birth dossier forwarded to the specialist, then the leader, who approves and signs it."""
    code = received_birth_dossier(people).code
    dossier_forward(actor=people["desk"], code=code, assignee=people["specialist"])
    dossier_forward(actor=people["specialist"], code=code, assignee=staff["leader"])
    dossier_approve(actor=staff["leader"], code=code, note="Đủ điều kiện", assignee=staff["clerk"])
    return code


def issued_dossier(people: dict[str, Any], staff: dict[str, Any]) -> str:
    code = approved_dossier(people, staff)
    dossier_issue_result(actor=staff["clerk"], code=code)
    return code


def rejected_dossier(people: dict[str, Any], staff: dict[str, Any]) -> str:
    """A received birth dossier refused by the leader (a signed letter with the reasons), then issued."""
    from motcua.workflow.processing import dossier_reject

    code = received_birth_dossier(people).code
    dossier_forward(actor=people["desk"], code=code, assignee=people["specialist"])
    dossier_forward(actor=people["specialist"], code=code, assignee=staff["leader"])
    dossier_reject(actor=staff["leader"], code=code, reason="Thiếu giấy chứng sinh", assignee=staff["clerk"])
    dossier_issue_result(actor=staff["clerk"], code=code)
    return code
