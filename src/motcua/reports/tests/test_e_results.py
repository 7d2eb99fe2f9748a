"""The e-result indicator counts results issued as signed electronic documents over results issued;
results returned electronically are an indicator of their own. Exact values on a hand-built history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from motcua.dossiers.models import DossierEvent
from motcua.identity.constants import Role
from motcua.reports.constants import IndicatorKey as K
from motcua.reports.drilldown import dossiers_behind
from motcua.reports.indicators import Scope, indicators_for
from motcua.workflow.constants import Action, ReturnVia
from motcua.workflow.processing import (
    dossier_approve,
    dossier_forward,
    dossier_issue_result,
    dossier_return_result,
    dossier_take,
)
from motcua.workflow.stats import stats_from_events
from tests.factories import make_staff
from tests.processing import process_staff, received_birth_dossier


@pytest.fixture
def history(province, people, settings, tmp_path, monday_morning):
    """d1: signed by the leader (certificate), returned electronically; d2: approved by a leader without a
    certificate (a paper result signed by hand), returned electronically; d3: signed, issued, not yet
    returned."""
    staff = process_staff(province, settings, tmp_path)
    paper_leader = make_staff(Role.UNIT_LEADER, province["commune_a"], username="lanhdao2")
    desk, specialist, clerk = people["desk"], people["specialist"], staff["clerk"]
    dossiers = {}
    for name, leader, returned in (
        ("d1", staff["leader"], True),
        ("d2", paper_leader, True),
        ("d3", staff["leader"], False),
    ):
        code = received_birth_dossier(people).code
        dossier_forward(actor=desk, code=code)
        dossier_take(actor=specialist, code=code)
        dossier_forward(actor=specialist, code=code, assignee=leader)
        dossier_approve(actor=leader, code=code, assignee=clerk)
        dossiers[name] = dossier_issue_result(actor=clerk, code=code)
        if returned:
            dossier_return_result(actor=desk, code=code, via=ReturnVia.ELECTRONIC)
    return province, dossiers


def test_results_issued_electronically_and_returned_electronically_are_two_indicators(history) -> None:
    province, d = history
    scope = Scope(agency=province["commune_a"], start=date(2026, 3, 1), end=date(2026, 3, 31))

    report = indicators_for(scope)

    assert (report[K.E_RESULT_SHARE].value, report[K.E_RESULT_SHARE].numerator) == (Decimal("66.67"), 2)
    assert report[K.E_RESULT_SHARE].denominator == 3
    assert (report[K.RETURNED_ELECTRONIC_SHARE].value, report[K.RETURNED_ELECTRONIC_SHARE].numerator) == (
        Decimal("100.00"),
        2,
    )
    assert report[K.RETURNED_ELECTRONIC_SHARE].denominator == 2
    issued = DossierEvent.objects.filter(action=Action.ISSUE_RESULT).order_by("dossier__code")
    assert [(e.dossier.code, e.payload["electronic"]) for e in issued] == [
        (d["d1"].code, True),
        (d["d2"].code, False),
        (d["d3"].code, True),
    ]


def test_the_lists_behind_the_e_result_numbers(history) -> None:
    province, d = history
    supervisor = make_staff(Role.SUPERVISOR, province["province"], include_subagencies=True)
    scope = Scope(agency=province["commune_a"], start=date(2026, 3, 1), end=date(2026, 3, 31))

    def behind(key: str) -> set[str]:
        return set(dossiers_behind(supervisor, key, scope).values_list("code", flat=True))

    assert behind(K.E_RESULT_SHARE) == {d["d1"].code, d["d3"].code}
    assert behind(K.RETURNED_ELECTRONIC_SHARE) == {d["d1"].code, d["d2"].code}


def test_the_rebuild_counts_electronic_issues_as_the_writer_did(history) -> None:
    assert sum(row["issued_electronic"] for row in stats_from_events()) == 2
