"""The immutable transition table and its guard: a pure function, no database.

Sources: Nghị định 118/2025/NĐ-CP (reception, refusal, one supplement request, withdrawal),
Thông tư 03/2025/TT-VPCP (the slips each action issues).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import DomainError
from motcua.dossiers.constants import Status
from motcua.workflow.constants import Action, Actor, Clock

PREVIOUS = "previous"  # target meaning "the state before the pause"


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    actors: frozenset[str]
    clock: str = Clock.NONE
    note_required: bool = False
    once: bool = False  # may happen at most once in a dossier's life


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"
    status = 409
    default_message = _("This action is not allowed for the dossier in its current state.")


class SupplementOnlyOnce(TransitionNotAllowed):
    code = "supplement_only_once"
    default_message = _("A supplement may be requested only once for a dossier (Decree 118/2025/NĐ-CP).")


class NoteRequired(DomainError):
    code = "note_required"
    default_message = _("Give the reason for this action.")


class ActorNotAllowed(DomainError):
    code = "permission_denied"
    status = 403
    default_message = _("You may not take this action on this dossier.")


_OPEN_BEFORE_RESULT = frozenset(
    {Status.SUBMITTED, Status.RECEIVED, Status.IN_PROGRESS, Status.SUPPLEMENT_REQUESTED, Status.FINANCIAL_OBLIGATION}
)

TABLE: MappingProxyType[str, Transition] = MappingProxyType(
    {
        t.action: t
        for t in (
            Transition(Action.SUBMIT, frozenset({""}), Status.SUBMITTED, frozenset({Actor.APPLICANT, Actor.DESK})),
            Transition(
                Action.RECEIVE,
                frozenset({Status.SUBMITTED}),
                Status.RECEIVED,
                frozenset({Actor.DESK}),
                clock=Clock.START,
            ),
            Transition(
                Action.REFUSE,
                frozenset({Status.SUBMITTED}),
                Status.REFUSED,
                frozenset({Actor.DESK}),
                note_required=True,
            ),
            Transition(
                Action.REQUEST_SUPPLEMENT,
                frozenset({Status.SUBMITTED, Status.RECEIVED, Status.IN_PROGRESS}),
                Status.SUPPLEMENT_REQUESTED,
                frozenset({Actor.DESK, Actor.PROCESSING}),
                clock=Clock.PAUSE,
                note_required=True,
                once=True,
            ),
            Transition(
                Action.SUBMIT_SUPPLEMENT,
                frozenset({Status.SUPPLEMENT_REQUESTED}),
                PREVIOUS,
                frozenset({Actor.APPLICANT, Actor.DESK}),
                clock=Clock.RESUME,
            ),
            Transition(
                Action.WITHDRAW,
                _OPEN_BEFORE_RESULT,
                Status.WITHDRAWN,
                frozenset({Actor.APPLICANT, Actor.DESK}),
                clock=Clock.STOP,
                note_required=True,
            ),
        )
    }
)


def guard(*, action: str, status: str, actor_kinds: set[str], note: str, done_before: set[str]) -> Transition:
    """Return the transition for ``action`` from ``status``, or raise why it is refused.

    ``actor_kinds``: what the acting person is for this dossier (applicant, desk, processing).
    ``done_before``: actions already taken on the dossier (for the "once" rule).
    """
    transition = TABLE.get(action)
    if transition is None or status not in transition.sources:
        raise TransitionNotAllowed()
    if transition.once and action in done_before:
        if action == Action.REQUEST_SUPPLEMENT:
            raise SupplementOnlyOnce()
        raise TransitionNotAllowed()
    if not (transition.actors & actor_kinds):
        raise ActorNotAllowed()
    if transition.note_required and not note.strip():
        raise NoteRequired()
    return transition
