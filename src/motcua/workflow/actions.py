"""What a person may do with a dossier now: the one place that decides which actions are offered.

The back office's desk and processing pages, the portal and the API offer exactly what this returns,
and it offers exactly what the writer would accept (the same guard, the same actor kinds, the current
step's role), apart from the note or file a form then asks for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from motcua.core.exceptions import DomainError
from motcua.dossiers.models import Dossier
from motcua.workflow.constants import Action
from motcua.workflow.steps import current_step
from motcua.workflow.transitions import TABLE, guard
from motcua.workflow.writer import actor_kinds


@dataclass(frozen=True)
class ActionOffer:
    action: str
    note_required: bool  # the form must ask for a reason


def allowed_actions(
    user: Any, dossier: Dossier, *, done_before: set[str] | None = None, among: Iterable[str] | None = None
) -> list[ActionOffer]:
    """The actions ``user`` may take on ``dossier`` now, in the transition table's order.

    ``done_before``: the actions already in the dossier's history (read when not given); ``among``: only
    these actions (the forms an interface has). Taking a dossier one already holds is not offered.
    """
    wanted = set(TABLE) if among is None else set(among)
    if done_before is None:
        done_before = set(dossier.events.values_list("action", flat=True))
    step = current_step(dossier)
    offers = []
    for action, transition in TABLE.items():
        if action not in wanted or dossier.status not in transition.sources:
            continue  # refused by the table alone: no need to ask who the person is
        try:
            guard(
                action=action,
                status=dossier.status,
                actor_kinds=actor_kinds(user, dossier, action),
                note="-",
                done_before=done_before,
                step_role=step.role if step is not None else None,
            )
        except DomainError:
            continue
        if (
            action == Action.TAKE
            and dossier.assignee_id is not None
            and dossier.assignee_id == getattr(user, "pk", None)
        ):
            continue  # already theirs: nothing to take
        offers.append(ActionOffer(action=str(action), note_required=transition.note_required))
    return offers


def allowed_action_names(
    user: Any, dossier: Dossier, *, done_before: set[str] | None = None, among: Iterable[str] | None = None
) -> set[str]:
    return {offer.action for offer in allowed_actions(user, dossier, done_before=done_before, among=among)}
