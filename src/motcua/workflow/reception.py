"""Reception at the desk combined with the first hand-over: one click for the desk officer.

Nghị định 118/2025/NĐ-CP (điều 19-20): the desk receives a complete dossier and transfers it to the
competent unit the same working day. Both moves go through the workflow writer, in one transaction,
so a refusal of either leaves the dossier as it was.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from motcua.catalog.processes import default_steps, process_in_force, process_steps
from motcua.dossiers.models import Dossier
from motcua.identity.models import User
from motcua.identity.selectors import covers
from motcua.workflow.processing import dossier_forward
from motcua.workflow.services import dossier_receive
from motcua.workflow.steps import AssigneeNotEligible, step_agency
from motcua.workflow.writer import Check


def _forward_check(assignee: User | None) -> Check | None:
    """The forward's chosen person must hold the second step's role in its unit: checked on the locked
    dossier before the reception writes anything (the process in force, else the default one the
    reception would publish, read without writing it)."""
    if assignee is None:
        return None

    def check(dossier: Dossier, at: datetime) -> None:
        process = process_in_force(procedure_id=dossier.procedure_id, agency_id=dossier.competent_agency_id)
        steps = process_steps(process.pk) if process is not None else tuple(default_steps(dossier.procedure_version))
        if len(steps) > 1 and not covers(assignee, [steps[1].role], step_agency(dossier, steps[1])):
            raise AssigneeNotEligible()

    return check


@transaction.atomic
def dossier_receive_and_forward(*, actor: User, code: str, assignee: User | None = None, note: str = "") -> Dossier:
    """Receive an online dossier (the clock starts, the receipt is due) and forward it to the next step of
    its process: to ``assignee``, or to the unit's pool. Refused as a whole if either move is refused; the
    forward's person is checked before the reception writes."""
    dossier_receive(actor=actor, code=code, check=_forward_check(assignee))
    return dossier_forward(actor=actor, code=code, assignee=assignee, note=note)
