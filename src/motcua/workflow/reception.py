"""Reception at the desk combined with the first hand-over: one click for the desk officer.

Nghị định 118/2025/NĐ-CP (điều 19-20): the desk receives a complete dossier and transfers it to the
competent unit the same working day. Both moves go through the workflow writer, in one transaction,
so a refusal of either leaves the dossier as it was.
"""

from __future__ import annotations

from django.db import transaction

from motcua.dossiers.models import Dossier
from motcua.identity.models import User
from motcua.workflow.processing import dossier_forward
from motcua.workflow.services import dossier_receive


@transaction.atomic
def dossier_receive_and_forward(*, actor: User, code: str, assignee: User | None = None, note: str = "") -> Dossier:
    """Receive an online dossier (the clock starts, the receipt is due) and forward it to the next step of
    its process: to ``assignee``, or to the unit's pool. Refused as a whole if either move is refused."""
    dossier_receive(actor=actor, code=code)
    return dossier_forward(actor=actor, code=code, assignee=assignee, note=note)
