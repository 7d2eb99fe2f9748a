"""Receive and forward in one action (issue 12): two moves of the writer, one transaction."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from motcua.core.exceptions import DomainError
from motcua.core.models import AuditEntry
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.identity.constants import Role
from motcua.workflow.reception import dossier_receive_and_forward
from motcua.workflow.services import dossier_submit_online
from tests.factories import row_counts
from tests.intake import birth_application


def submitted(people: dict[str, Any]) -> Dossier:
    return dossier_submit_online(actor=people["citizen"], application=birth_application())


def snapshot(dossier: Dossier) -> tuple[Any, ...]:
    dossier.refresh_from_db()
    return (
        dossier.status,
        dossier.received_at,
        dossier.due_at,
        dossier.process_id,
        dossier.step_position,
        dossier.holder_role,
        dossier.assignee_id,
        list(dossier.events.values_list("action", flat=True)),
        row_counts(),
        AuditEntry.objects.count(),
    )


def test_one_call_receives_and_hands_over_to_the_specialists_pool(people, monday_morning) -> None:
    dossier = submitted(people)
    moved = dossier_receive_and_forward(actor=people["desk"], code=dossier.code)
    moved.refresh_from_db()
    assert (moved.status, moved.step_position, moved.holder_role, moved.holder_agency.code, moved.assignee_id) == (
        Status.IN_PROGRESS,
        2,
        Role.SPECIALIST,
        "H99.101",
        None,
    )
    assert list(moved.events.order_by("id").values_list("action", "actor__username")) == [
        ("submit", people["citizen"].username),
        ("receive", people["desk"].username),
        ("forward", people["desk"].username),
    ]
    assert moved.received_at is not None and moved.due_at is not None


def test_to_a_chosen_specialist(people, monday_morning) -> None:
    dossier = submitted(people)
    moved = dossier_receive_and_forward(actor=people["desk"], code=dossier.code, assignee=people["specialist"])
    assert (moved.status, moved.assignee_id) == (Status.IN_PROGRESS, people["specialist"].pk)


def test_a_refused_forward_undoes_the_reception(people, monday_morning) -> None:
    dossier = submitted(people)
    before = snapshot(dossier)
    with pytest.raises(DomainError) as caught:
        # The citizen cannot hold the specialist's step: the forward is refused after the reception.
        dossier_receive_and_forward(actor=people["desk"], code=dossier.code, assignee=people["citizen"])
    assert caught.value.code == "assignee_not_eligible"
    assert snapshot(dossier) == before
    assert before[0] == Status.SUBMITTED


def test_a_refused_reception_changes_nothing(people, monday_morning) -> None:
    dossier = submitted(people)
    before = snapshot(dossier)
    with pytest.raises(DomainError):
        dossier_receive_and_forward(actor=people["other_desk"], code=dossier.code)  # another agency's desk
    assert snapshot(dossier) == before


def test_the_desk_page_offers_and_runs_the_combined_action(client, people, monday_morning) -> None:
    dossier = submitted(people)
    client.force_login(people["desk"])
    page = client.get(reverse("backoffice:dossier", kwargs={"code": dossier.code})).content.decode()
    url = reverse("backoffice:dossier-receive-forward", kwargs={"code": dossier.code})
    assert f'action="{url}"' in page
    response = client.post(url)
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.status, dossier.holder_role) == (Status.IN_PROGRESS, Role.SPECIALIST)
    followed = client.get(response["Location"]).content.decode()
    assert "Đã tiếp nhận và chuyển xử lý." in followed

    # A second click is refused with the reason, and changes nothing.
    before = snapshot(dossier)
    again = client.post(url)
    assert again.status_code == 409
    assert snapshot(dossier) == before
