"""The actions offered to each person are computed in one place (workflow.actions), with exact lists."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.identity.constants import Role
from motcua.workflow.actions import ActionOffer, allowed_actions
from motcua.workflow.processing import dossier_forward
from motcua.workflow.services import dossier_request_supplement, dossier_submit_online
from tests.factories import make_staff
from tests.intake import birth_application
from tests.processing import process_staff, received_birth_dossier


@pytest.fixture
def staff(province, people, settings, tmp_path, monday_morning):
    return process_staff(province, settings, tmp_path) | {
        "other_specialist": make_staff(Role.SPECIALIST, province["commune_b"])
    }


def offered(user: Any, dossier: Any) -> list[str]:
    return [offer.action for offer in allowed_actions(user, dossier)]


def test_a_submitted_dossier(people, staff, monday_morning) -> None:
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    assert {
        name: offered(people[name] if name in people else staff[name], dossier)
        for name in ("citizen", "desk", "other_desk", "specialist", "leader", "clerk", "other_specialist")
    } == {
        "citizen": ["withdraw"],
        "desk": ["receive", "refuse", "request_supplement", "withdraw"],
        "other_desk": [],
        "specialist": [],
        "leader": [],
        "clerk": [],
        "other_specialist": [],
    }
    assert allowed_actions(people["desk"], dossier)[1] == ActionOffer(action="refuse", note_required=True)


def test_a_dossier_at_the_specialists_step(people, staff, monday_morning) -> None:
    dossier = received_birth_dossier(people)
    dossier = dossier_forward(actor=people["desk"], code=dossier.code, assignee=people["specialist"])
    assert {
        name: offered(people[name] if name in people else staff[name], dossier)
        for name in ("citizen", "desk", "specialist", "specialist2", "leader", "clerk", "other_specialist")
    } == {
        "citizen": ["withdraw"],
        "desk": ["request_supplement", "withdraw"],
        "specialist": ["request_supplement", "forward", "send_back", "consult", "stop", "request_payment"],
        "specialist2": [],
        "leader": ["stop", "apologize"],
        "clerk": [],
        "other_specialist": [],
    }


def test_a_dossier_waiting_for_a_supplement(people, staff, monday_morning) -> None:
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    dossier = dossier_request_supplement(actor=people["desk"], code=dossier.code, missing=["Giấy chứng sinh"], note="")
    assert offered(people["citizen"], dossier) == ["submit_supplement", "withdraw"]
    assert offered(people["desk"], dossier) == ["submit_supplement", "withdraw"]
    assert offered(people["other_desk"], dossier) == []
