"""Every precondition of an action is checked before the writer touches a row (issue 13, item 7).

A refusal must not even write and roll back: no UPDATE of the dossier, no event, no task row, no
consultation or result row, not in a savepoint either. The query log shows what was sent.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from motcua.core.exceptions import DomainError, ValidationFailed
from motcua.workflow.processing import (
    ApologyTooLate,
    ConsultationOpen,
    dossier_apologize,
    dossier_approve,
    dossier_consult,
    dossier_forward,
)
from motcua.workflow.results import PreviewOutdated
from tests.intake import HCM
from tests.processing import process_staff, received_birth_dossier

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def staff(province, people, settings, tmp_path, monday_morning):
    return process_staff(province, settings, tmp_path)


# Every ``transaction.on_commit`` registration of the running test, kept even when its savepoint is
# rolled back (the test settings queue tasks on commit).
REGISTERED: list[object] = []


@pytest.fixture(autouse=True)
def record_on_commit(monkeypatch) -> None:
    REGISTERED.clear()
    real = transaction.on_commit

    def record(func, using=None, robust=False):  # type: ignore[no-untyped-def]
        REGISTERED.append(func)
        return real(func, using=using, robust=robust)

    monkeypatch.setattr(transaction, "on_commit", record)


def writes_of(attempt, error: type[DomainError]) -> list[str]:
    """The data-changing statements sent, and the commit callbacks (tasks) registered, while ``attempt``
    is refused with ``error``."""
    before = len(REGISTERED)
    with CaptureQueriesContext(connection) as queries, pytest.raises(error):
        attempt()
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]
    return writes + [f"on_commit {func!r}" for func in REGISTERED[before:]]


def test_consulting_its_own_agency_writes_nothing(people, staff, monday_morning) -> None:
    dossier = received_birth_dossier(people)
    dossier_forward(actor=people["desk"], code=dossier.code, assignee=people["specialist"])
    attempt = lambda: dossier_consult(  # noqa: E731
        actor=people["specialist"], code=dossier.code, agency_codes=["H99.101"], question="?", hours=4
    )
    assert writes_of(attempt, ValidationFailed) == []


def test_consulting_an_agency_already_asked_writes_nothing(people, staff, monday_morning) -> None:
    dossier = received_birth_dossier(people)
    dossier_forward(actor=people["desk"], code=dossier.code, assignee=people["specialist"])
    registered = len(REGISTERED)
    dossier_consult(actor=people["specialist"], code=dossier.code, agency_codes=["H99.01"], question="?", hours=4)
    assert len(REGISTERED) == registered + 1  # the recorder sees what an accepted action queues
    attempt = lambda: dossier_consult(  # noqa: E731
        actor=people["specialist"], code=dossier.code, agency_codes=["H99.01"], question="?", hours=4
    )
    assert writes_of(attempt, ValidationFailed) == []


def test_deciding_with_an_open_consultation_writes_nothing(people, staff, monday_morning) -> None:
    dossier = received_birth_dossier(people)
    dossier_forward(actor=people["desk"], code=dossier.code, assignee=people["specialist"])
    dossier_consult(actor=people["specialist"], code=dossier.code, agency_codes=["H99.01"], question="?", hours=4)
    dossier_forward(actor=people["specialist"], code=dossier.code, assignee=staff["leader"])
    attempt = lambda: dossier_approve(actor=staff["leader"], code=dossier.code)  # noqa: E731
    assert writes_of(attempt, ConsultationOpen) == []


def test_approving_another_preview_writes_nothing(people, staff, monday_morning) -> None:
    dossier = received_birth_dossier(people)
    dossier_forward(actor=people["desk"], code=dossier.code, assignee=people["specialist"])
    dossier_forward(actor=people["specialist"], code=dossier.code, assignee=staff["leader"])
    attempt = lambda: dossier_approve(actor=staff["leader"], code=dossier.code, previewed="0" * 64)  # noqa: E731
    assert writes_of(attempt, PreviewOutdated) == []


def test_a_late_or_earlier_apology_writes_nothing(people, staff, monday_morning) -> None:
    dossier = received_birth_dossier(people)  # due Tuesday 10 March 09:00
    earlier = lambda: dossier_apologize(  # noqa: E731
        actor=staff["leader"], code=dossier.code, reason="x", new_due_at=datetime(2026, 3, 9, 8, tzinfo=HCM)
    )
    assert writes_of(earlier, ValidationFailed) == []
    monday_morning.move_to(datetime(2026, 3, 9, 16, tzinfo=HCM))  # less than a working day before
    late = lambda: dossier_apologize(  # noqa: E731
        actor=staff["leader"], code=dossier.code, reason="x", new_due_at=datetime(2026, 3, 12, 16, tzinfo=HCM)
    )
    assert writes_of(late, ApologyTooLate) == []


def test_the_step_planner_never_publishes_a_process(people, monday_morning) -> None:
    """Reception used to publish the default process from inside the planner, in the writer's
    transaction; the planner now refuses and the reception service publishes before the writer."""
    from motcua.catalog.models import Process
    from motcua.dossiers.models import Dossier
    from motcua.workflow.constants import Action
    from motcua.workflow.services import dossier_submit_online
    from motcua.workflow.steps import NoProcessInForce, plan_move
    from tests.intake import birth_application

    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    dossier = Dossier.objects.select_related("procedure_version", "competent_agency").get(pk=dossier.pk)
    assert Process.objects.count() == 0
    with CaptureQueriesContext(connection) as queries, pytest.raises(NoProcessInForce) as caught:
        plan_move(dossier, Action.RECEIVE, actor=people["desk"], at=dossier.submitted_at)
    assert [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)] == []
    assert (caught.value.code, caught.value.agency.pk) == ("no_process_in_force", dossier.competent_agency_id)
    assert Process.objects.count() == 0


def test_receive_and_forward_to_an_ineligible_person_writes_nothing(people, monday_morning) -> None:
    """The forward's assignee used to be refused after the reception was written (then rolled back)."""
    from motcua.workflow.reception import dossier_receive_and_forward
    from motcua.workflow.services import dossier_submit_online
    from motcua.workflow.steps import AssigneeNotEligible
    from tests.intake import birth_application

    first = dossier_submit_online(actor=people["citizen"], application=birth_application())
    second = dossier_submit_online(actor=people["citizen"], application=birth_application())
    attempt = lambda: dossier_receive_and_forward(  # noqa: E731
        actor=people["desk"], code=first.code, assignee=people["citizen"]
    )
    assert writes_of(attempt, AssigneeNotEligible) == []  # no process yet: the default one is not published
    dossier_receive_and_forward(actor=people["desk"], code=first.code)  # publishes the default process
    attempt = lambda: dossier_receive_and_forward(  # noqa: E731
        actor=people["desk"], code=second.code, assignee=people["citizen"]
    )
    assert writes_of(attempt, AssigneeNotEligible) == []
