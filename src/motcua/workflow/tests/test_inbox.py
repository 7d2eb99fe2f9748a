"""Inboxes: who sees what, in which order, and the at-risk flag exactly one working day before due."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from motcua.workflow.inbox import InboxQuery, Urgency, consultations_for, inbox, next_step_people, urgency
from motcua.workflow.processing import dossier_consult, dossier_forward
from motcua.workflow.services import dossier_receive, dossier_submit_online
from tests.intake import HCM, birth_application
from tests.processing import process_staff, received_birth_dossier


@pytest.fixture
def staff(province, people, settings, tmp_path, monday_morning):
    return process_staff(province, settings, tmp_path)


def test_urgency_badges() -> None:
    due = datetime(2026, 3, 10, 9, 0, tzinfo=HCM)
    warn = datetime(2026, 3, 9, 9, 0, tzinfo=HCM)
    assert urgency(due, warn, warn - timedelta(microseconds=1)) == Urgency.ON_TRACK
    assert urgency(due, warn, warn) == Urgency.AT_RISK
    assert urgency(due, warn, due - timedelta(microseconds=1)) == Urgency.AT_RISK
    assert urgency(due, warn, due) == Urgency.OVERDUE
    assert urgency(None, None, due) == Urgency.NONE


def test_at_risk_flag_appears_exactly_one_working_day_before_due(people, staff, monday_morning) -> None:
    # 15 working days from Monday 2026-03-09 09:00: due Monday 2026-03-30 09:00; at risk from Friday
    # 2026-03-27 09:00 (one working day before, the weekend does not count).
    application = birth_application(procedure_code="2.000528", form_data={}, uploads=[])
    dossier = dossier_submit_online(actor=people["citizen"], application=application)
    dossier = dossier_receive(actor=people["desk"], code=dossier.code)
    dossier = dossier_forward(actor=people["desk"], code=dossier.code, assignee=people["specialist"])
    assert dossier.due_at == datetime(2026, 3, 30, 9, 0, tzinfo=HCM)
    assert dossier.warn_at == datetime(2026, 3, 27, 9, 0, tzinfo=HCM)
    mine = InboxQuery(scope="mine", urgency=Urgency.AT_RISK)
    for now, expected in [
        (datetime(2026, 3, 27, 8, 59, 59, tzinfo=HCM), []),
        (datetime(2026, 3, 27, 9, 0, tzinfo=HCM), [dossier]),
        (datetime(2026, 3, 30, 8, 59, 59, tzinfo=HCM), [dossier]),
        (datetime(2026, 3, 30, 9, 0, tzinfo=HCM), []),  # now overdue, no longer "at risk"
    ]:
        monday_morning.move_to(now)
        assert list(inbox(people["specialist"], mine)) == expected, now
        badge = urgency(dossier.due_at, dossier.warn_at, now)
        assert badge == (
            Urgency.AT_RISK if expected else (Urgency.ON_TRACK if now < dossier.warn_at else Urgency.OVERDUE)
        )
    overdue = InboxQuery(scope="mine", urgency=Urgency.OVERDUE)
    assert list(inbox(people["specialist"], overdue)) == [dossier]


def test_friday_dossier_is_at_risk_from_friday_not_over_the_weekend(people, staff, monday_morning) -> None:
    monday_morning.move_to(datetime(2026, 3, 12, 10, 0, tzinfo=HCM))  # Thursday 10:00
    dossier = received_birth_dossier(people)  # due Friday 10:00
    assert dossier.due_at == datetime(2026, 3, 13, 10, 0, tzinfo=HCM)
    assert dossier.warn_at == datetime(2026, 3, 12, 10, 0, tzinfo=HCM)
    monday_morning.move_to(datetime(2026, 3, 13, 15, 0, tzinfo=HCM))  # Friday 15:00
    dossier = received_birth_dossier(people)  # after the 15:00 cut-off? exactly at it: clock from 15:00
    assert dossier.due_at == datetime(2026, 3, 16, 15, 0, tzinfo=HCM)  # Monday 15:00 (weekend skipped)
    assert dossier.warn_at == datetime(2026, 3, 13, 15, 0, tzinfo=HCM)


def test_scopes_and_search(people, staff, monday_morning) -> None:
    desk, specialist = people["desk"], people["specialist"]
    first = received_birth_dossier(people)
    second = received_birth_dossier(people)
    assert list(inbox(desk, InboxQuery(scope="mine"))) == [first, second]
    assert list(inbox(specialist, InboxQuery(scope="unit"))) == []  # the desk's step, not the specialist's
    dossier_forward(actor=desk, code=second.code)  # to the specialists' pool
    assert list(inbox(specialist, InboxQuery(scope="pool"))) == [second]
    assert list(inbox(specialist, InboxQuery(scope="mine"))) == []
    assert list(inbox(staff["specialist2"], InboxQuery(scope="unit"))) == [second]
    assert list(inbox(desk, InboxQuery(scope="mine", search=first.code))) == [first]
    assert list(inbox(desk, InboxQuery(scope="mine", search="Không có"))) == []
    assert list(inbox(people["other_desk"], InboxQuery(scope="unit"))) == []
    assert list(inbox(people["citizen"], InboxQuery(scope="unit"))) == []


def test_consulted_agency_sees_the_question_and_next_people_are_eligible(people, staff, monday_morning) -> None:
    dossier = received_birth_dossier(people)
    assert [u.pk for u in next_step_people(dossier)] == sorted(
        [people["specialist"].pk, staff["specialist2"].pk],
        key=lambda pk: next(u.full_name for u in (people["specialist"], staff["specialist2"]) if u.pk == pk),
    )
    dossier = dossier_forward(actor=people["desk"], code=dossier.code, assignee=people["specialist"])
    assert [u.pk for u in next_step_people(dossier)] == [staff["leader"].pk]
    dossier_consult(actor=people["specialist"], code=dossier.code, agency_codes=["H99.01"], question="?", hours=8)
    assert [c.dossier_id for c in consultations_for(staff["dept_specialist"])] == [dossier.pk]
    assert list(consultations_for(people["specialist"])) == []
