import pytest

from motcua.dossiers.constants import NATIONAL_STATUS, NationalStatus, Status
from motcua.workflow.constants import Action, Actor
from motcua.workflow.transitions import (
    PREVIOUS,
    SAME,
    TABLE,
    ActorNotAllowed,
    NoteRequired,
    SupplementOnlyOnce,
    TransitionNotAllowed,
    guard,
)


def test_national_mapping_is_total_and_onto() -> None:
    assert set(NATIONAL_STATUS) == set(Status.values)
    assert sorted(NATIONAL_STATUS.values()) == sorted(NationalStatus.values)


def test_every_action_has_one_transition_with_known_states() -> None:
    assert set(TABLE) == set(Action.values)
    for transition in TABLE.values():
        assert transition.target in {*Status.values, PREVIOUS, SAME}
        assert transition.sources <= {*Status.values, ""}
        assert transition.actors <= set(Actor.values)


def test_receive_from_submitted_by_the_desk() -> None:
    assert (
        guard(
            action=Action.RECEIVE,
            status=Status.SUBMITTED,
            actor_kinds={Actor.DESK},
            note="",
            done_before={Action.SUBMIT},
        ).target
        == Status.RECEIVED
    )


@pytest.mark.parametrize(
    ("action", "status", "kinds", "note", "done", "error"),
    [
        (Action.RECEIVE, Status.REFUSED, {Actor.DESK}, "", set(), TransitionNotAllowed),
        (Action.RECEIVE, Status.SUBMITTED, {Actor.APPLICANT}, "", set(), ActorNotAllowed),
        (Action.REFUSE, Status.SUBMITTED, {Actor.DESK}, "  ", set(), NoteRequired),
        (
            Action.REQUEST_SUPPLEMENT,
            Status.RECEIVED,
            {Actor.DESK},
            "thiếu",
            {Action.REQUEST_SUPPLEMENT},
            SupplementOnlyOnce,
        ),
        (Action.WITHDRAW, Status.RETURNED, {Actor.APPLICANT}, "lý do", set(), TransitionNotAllowed),
        (Action.SUBMIT_SUPPLEMENT, Status.RECEIVED, {Actor.APPLICANT}, "", set(), TransitionNotAllowed),
    ],
)
def test_guard_refusals(action, status, kinds, note, done, error) -> None:
    with pytest.raises(error):
        guard(action=action, status=status, actor_kinds=kinds, note=note, done_before=done)
