"""Issue 12: a result waiting for return shows in the desk officers' own list, not only the pool."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.dossiers.constants import Status
from motcua.identity.constants import Role
from motcua.workflow.inbox import InboxQuery, inbox
from motcua.workflow.processing import (
    dossier_approve,
    dossier_forward,
    dossier_issue_result,
    dossier_return_result,
    dossier_take,
)
from tests.factories import make_staff
from tests.processing import process_staff, received_birth_dossier


@pytest.fixture
def staff(province, people, settings, tmp_path, monday_morning):
    return process_staff(province, settings, tmp_path)


def test_issued_results_wait_in_the_desks_own_list_until_returned(
    client, people, staff, province, monday_morning
) -> None:
    desk, specialist = people["desk"], people["specialist"]
    colleague = make_staff(Role.DESK_OFFICER, province["commune_a"])
    mine = InboxQuery(scope="mine")
    in_hand = received_birth_dossier(people)  # held by the desk at step 1: the desk's own already
    code = received_birth_dossier(people).code
    dossier_forward(actor=desk, code=code)
    dossier_take(actor=specialist, code=code)
    dossier_forward(actor=specialist, code=code, assignee=staff["leader"])
    dossier_approve(actor=staff["leader"], code=code, assignee=staff["clerk"])
    assert [d.code for d in inbox(desk, mine)] == [in_hand.code]
    issued = dossier_issue_result(actor=staff["clerk"], code=code)  # to the desk's pool
    assert (issued.status, issued.holder_role, issued.assignee_id) == (Status.RESULT_READY, Role.DESK_OFFICER, None)

    assert sorted(d.code for d in inbox(desk, mine)) == sorted([in_hand.code, code])
    assert [d.code for d in inbox(colleague, mine)] == [code]  # any officer at that desk may return it
    assert [d.code for d in inbox(desk, InboxQuery(scope="pool"))] == [code]
    assert list(inbox(people["other_desk"], mine)) == []  # another agency's desk
    assert list(inbox(specialist, mine)) == []
    assert list(inbox(staff["clerk"], mine)) == []

    # The inbox page's default tab ("mine") lists it for the desk.
    client.force_login(colleague)
    page = client.get(reverse("backoffice:inbox"))
    assert [row.dossier.code for row in page.context["rows"]] == [code]

    dossier_return_result(actor=colleague, code=code, via="desk")
    assert [d.code for d in inbox(desk, mine)] == [in_hand.code]
    assert list(inbox(colleague, mine)) == []
