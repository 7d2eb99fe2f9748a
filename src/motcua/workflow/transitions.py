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
from motcua.identity.constants import Role
from motcua.workflow.constants import Action, Actor, Clock

PREVIOUS = "previous"  # target meaning "the state before the pause"
SAME = "same"  # target meaning "the status does not change" (a step inside processing)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    actors: frozenset[str]
    clock: str = Clock.NONE
    note_required: bool = False
    once: bool = False  # may happen at most once in a dossier's life
    step_roles: frozenset[str] | None = None  # roles of the current process step the action belongs to


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


class RedatedOnlyOnce(TransitionNotAllowed):
    code = "redate_only_once"
    default_message = _("A dossier's due time may be reset only once (Decree 118/2025/NĐ-CP).")


class WrongStep(TransitionNotAllowed):
    code = "wrong_step"
    default_message = _("This action belongs to another step of the process.")


class ActorNotAllowed(DomainError):
    code = "permission_denied"
    status = 403
    default_message = _("You may not take this action on this dossier.")


_OPEN_BEFORE_RESULT = frozenset(
    {Status.SUBMITTED, Status.RECEIVED, Status.IN_PROGRESS, Status.SUPPLEMENT_REQUESTED, Status.FINANCIAL_OBLIGATION}
)

_OPEN_AFTER_RECEPTION = _OPEN_BEFORE_RESULT - {Status.SUBMITTED}
_IN_HAND = frozenset({Status.RECEIVED, Status.IN_PROGRESS})
_PROGRESS = frozenset({Status.IN_PROGRESS})
_HOLDER = frozenset({Actor.STEP_HOLDER})

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
                frozenset({Actor.DESK, Actor.STEP_HOLDER}),
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
            # Processing (Nghị định 118/2025/NĐ-CP, điều 19-22): the internal process moves the dossier
            # from the desk to the competent unit, its leader, the clerk and back to the desk.
            Transition(Action.TAKE, _IN_HAND, SAME, _HOLDER),  # from the unit's pool
            Transition(
                Action.FORWARD,
                _IN_HAND,
                Status.IN_PROGRESS,
                _HOLDER,
                step_roles=frozenset({Role.DESK_OFFICER, Role.SPECIALIST}),
            ),
            Transition(
                Action.SEND_BACK,
                _PROGRESS,
                Status.IN_PROGRESS,
                _HOLDER,
                note_required=True,
                step_roles=frozenset({Role.SPECIALIST, Role.UNIT_LEADER, Role.CLERK}),
            ),
            Transition(
                Action.CONSULT,
                _PROGRESS,
                SAME,
                _HOLDER,
                note_required=True,
                step_roles=frozenset({Role.SPECIALIST, Role.UNIT_LEADER}),
            ),
            Transition(
                Action.ANSWER_CONSULTATION,
                _OPEN_AFTER_RECEPTION,
                SAME,
                frozenset({Actor.CONSULTED}),
                note_required=True,
            ),
            Transition(
                Action.STOP,
                _IN_HAND,
                Status.STOPPED,
                frozenset({Actor.STEP_HOLDER, Actor.LEADER}),
                clock=Clock.STOP,
                note_required=True,
            ),
            Transition(
                Action.REQUEST_PAYMENT,
                _PROGRESS,
                Status.FINANCIAL_OBLIGATION,
                _HOLDER,
                clock=Clock.PAUSE,
                note_required=True,
            ),
            Transition(
                Action.CONFIRM_PAYMENT,
                frozenset({Status.FINANCIAL_OBLIGATION}),
                PREVIOUS,
                frozenset({Actor.DESK, Actor.STEP_HOLDER, Actor.PAYMENT}),
                clock=Clock.RESUME,
            ),
            Transition(
                Action.APPROVE, _PROGRESS, Status.IN_PROGRESS, _HOLDER, step_roles=frozenset({Role.UNIT_LEADER})
            ),
            Transition(
                Action.REJECT,
                _PROGRESS,
                Status.IN_PROGRESS,
                _HOLDER,
                note_required=True,
                step_roles=frozenset({Role.UNIT_LEADER}),
            ),
            Transition(
                Action.ISSUE_RESULT,
                _PROGRESS,
                Status.RESULT_READY,
                _HOLDER,
                clock=Clock.FINISH,
                step_roles=frozenset({Role.CLERK}),
            ),
            Transition(
                Action.RETURN_RESULT,
                frozenset({Status.RESULT_READY}),
                Status.RETURNED,
                frozenset({Actor.DESK, Actor.STEP_HOLDER}),
                clock=Clock.STOP,
            ),
            Transition(
                Action.APOLOGIZE,
                _OPEN_AFTER_RECEPTION,
                SAME,
                frozenset({Actor.LEADER}),
                note_required=True,
                once=True,
            ),
        )
    }
)


_ONCE_ERRORS: dict[str, type[TransitionNotAllowed]] = {
    Action.REQUEST_SUPPLEMENT: SupplementOnlyOnce,
    Action.APOLOGIZE: RedatedOnlyOnce,
}


def guard(
    *,
    action: str,
    status: str,
    actor_kinds: set[str],
    note: str,
    done_before: set[str],
    step_role: str | None = None,
) -> Transition:
    """Return the transition for ``action`` from ``status``, or raise why it is refused.

    ``actor_kinds``: what the acting person is for this dossier (applicant, desk, step holder...).
    ``done_before``: actions already taken on the dossier (for the "once" rule).
    ``step_role``: the role of the dossier's current process step, if it has one.
    """
    transition = TABLE.get(action)
    if transition is None or status not in transition.sources:
        raise TransitionNotAllowed()
    if transition.once and action in done_before:
        raise _ONCE_ERRORS.get(action, TransitionNotAllowed)()
    if transition.step_roles is not None and step_role not in transition.step_roles:
        raise WrongStep()
    if not (transition.actors & actor_kinds):
        raise ActorNotAllowed()
    if transition.note_required and not note.strip():
        raise NoteRequired()
    return transition
