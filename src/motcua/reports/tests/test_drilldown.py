"""The dossiers behind each number: as many as the number, the right ones, and only for who may see them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from motcua.identity.constants import Role
from motcua.reports.constants import IndicatorKey as K
from motcua.reports.constants import Unit
from motcua.reports.drilldown import (
    DENOMINATORS,
    FINISHED,
    NOT_DOSSIERS,
    RECEIVED_AT_DESKS,
    RETURNED,
    dossiers_behind,
    readable_units,
)
from motcua.reports.indicators import Scope, flow_totals, indicators_for
from motcua.workflow.processing import dossier_approve, dossier_forward, dossier_issue_result
from motcua.workflow.services import dossier_receive, dossier_submit_online
from tests.factories import make_staff
from tests.intake import birth_application
from tests.processing import process_staff
from tests.reports import small_history

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


@pytest.fixture
def history(province, people, settings, tmp_path, monday_morning):
    return small_history(province, people, settings, tmp_path, monday_morning)


@pytest.fixture
def supervisor(province):
    return make_staff(Role.SUPERVISOR, province["province"], include_subagencies=True)


def codes(rows) -> set[str]:
    return set(rows.values_list("code", flat=True))


@pytest.mark.parametrize("unit", ["commune_a", "province"])
def test_every_number_of_the_small_history_has_as_many_dossiers_behind_it(history, supervisor, unit) -> None:
    scope = Scope(history[unit], *MARCH)
    report = indicators_for(scope)
    checked = set()
    for key, item in report.indicators.items():
        if key in NOT_DOSSIERS:
            continue
        if item.unit == Unit.COUNT:
            assert (key, dossiers_behind(supervisor, key, scope).count()) == (key, int(item.value)), key
        else:  # shares (and desk productivity): the numerator, and the denominator where it is dossiers
            numerator_key = RECEIVED_AT_DESKS if key == K.DESK_PRODUCTIVITY else key
            assert (key, dossiers_behind(supervisor, numerator_key, scope).count()) == (key, item.numerator)
            if key in DENOMINATORS:
                denominator = dossiers_behind(supervisor, DENOMINATORS[key], scope).count()
                assert (key, denominator) == (key, item.denominator)
        checked.add(key)
    # every indicator but the two procedure shares, the certifying agencies and the earlier results digitized
    assert len(checked) == 25
    flows = flow_totals(scope)
    assert dossiers_behind(supervisor, FINISHED, scope).count() == 1
    assert dossiers_behind(supervisor, RETURNED, scope).count() == flows["returned"] == 1


def test_the_lists_hold_the_hand_checked_dossiers(history, supervisor) -> None:
    d = history["dossiers"]
    scope = Scope(history["commune_a"], *MARCH)

    def behind(key: str) -> set[str]:
        return codes(dossiers_behind(supervisor, key, scope))

    assert behind(K.RECEIVED) == {d["d1"], d["d2"], d["d4"], d["d5"]}
    assert behind(K.RECEIVED_DESK) == {d["d4"]}
    assert behind(K.ONLINE_SHARE) == {d["d1"], d["d2"], d["d5"]}
    assert behind(K.FINISHED_EARLY) == behind(K.ON_TIME_SHARE) == behind(K.E_RESULT_SHARE) == {d["d1"]}
    assert behind(K.RETURNED_ELECTRONIC_SHARE) == {d["d1"]}
    assert behind(K.FINISHED_ON_TIME) == behind(K.FINISHED_LATE) == behind(K.STOPPED) == set()
    assert behind(K.OPEN_NOT_DUE) == behind(K.SUPPLEMENTS) == {d["d2"]}  # paused: never overdue
    assert behind(K.OPEN_OVERDUE) == {d["d4"]}
    assert behind(K.TIMELINESS) == {d["d1"], d["d2"]}
    assert behind(K.REFUSED) == {d["d3"]}
    assert behind(K.WITHDRAWN) == {d["d5"]}
    assert behind(K.DIGITIZED_SHARE) == {d["d1"], d["d2"], d["d5"]}
    assert behind(K.ONLINE_PROCEDURES_USED) == set()  # procedures, not dossiers
    assert behind("no_such_key") == set()
    # Newest first: the list's order is stable for paging.
    assert list(dossiers_behind(supervisor, K.RECEIVED, scope).values_list("code", flat=True)) == [
        d["d5"],
        d["d4"],
        d["d2"],
        d["d1"],
    ]


def test_other_periods_sectors_and_units_have_nothing_behind_them(history, supervisor, catalog) -> None:
    february = Scope(history["commune_a"], date(2026, 2, 1), date(2026, 2, 28))
    assert dossiers_behind(supervisor, K.RECEIVED, february).count() == 0
    other = Scope(history["commune_b"], *MARCH)
    assert dossiers_behind(supervisor, K.RECEIVED, other).count() == 0
    from motcua.catalog.models import Procedure, Sector

    certification = Sector.objects.get(code="CHUNGTHUC")
    by_sector = Scope(history["commune_a"], *MARCH, sector_id=certification.pk)
    assert dossiers_behind(supervisor, K.RECEIVED, by_sector).count() == 0
    birth = Procedure.objects.get(code="1.001193")
    by_procedure = Scope(history["commune_a"], *MARCH, procedure_id=birth.pk)
    assert dossiers_behind(supervisor, K.RECEIVED, by_procedure).count() == 4
    day = Scope(history["commune_a"], date(2026, 3, 9), date(2026, 3, 9))
    assert dossiers_behind(supervisor, K.RECEIVED, day).count() == 4
    next_day = Scope(history["commune_a"], date(2026, 3, 10), date(2026, 3, 10))
    assert dossiers_behind(supervisor, K.RECEIVED, next_day).count() == 0


def test_a_viewer_reads_only_the_units_they_may_see_whole(history, people) -> None:
    scope = Scope(history["commune_a"], *MARCH)
    assert dossiers_behind(people["desk"], K.RECEIVED, scope).count() == 4  # their own commune
    assert dossiers_behind(people["other_desk"], K.RECEIVED, scope).count() == 0  # another commune
    assert dossiers_behind(people["citizen"], K.RECEIVED, scope).count() == 0
    province = history["province"]
    # A role on the province without its sub-agencies does not open the province's figures (they would
    # include the communes' dossiers).
    exact = make_staff(Role.SUPERVISOR, province)
    assert [a.code for a in readable_units(exact)] == []
    assert dossiers_behind(exact, K.RECEIVED, Scope(province, *MARCH)).count() == 0
    whole = make_staff(Role.SUPERVISOR, province, include_subagencies=True)
    assert [a.code for a in readable_units(whole)] == ["H99", "H99.01", "H99.01.01", "H99.101", "H99.102"]
    department = make_staff(Role.UNIT_LEADER, history["department"], include_subagencies=True)
    assert [a.code for a in readable_units(department)] == ["H99.01", "H99.01.01"]
    assert [a.code for a in readable_units(people["desk"])] == ["H99.101"]


@pytest.mark.parametrize(("compare", "bucket"), [("timestamp", K.FINISHED_LATE), ("date", K.FINISHED_ON_TIME)])
def test_a_result_issued_on_the_due_day_after_the_due_time(
    province, people, settings, tmp_path, monday_morning, supervisor, compare, bucket
) -> None:
    """Late by the timestamp, on time by the date (MOTCUA_TIMELINESS_COMPARE), in the list as in the count."""
    settings.MOTCUA_TIMELINESS_COMPARE = compare
    staff = process_staff(province, settings, tmp_path)
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    dossier = dossier_receive(actor=people["desk"], code=dossier.code)
    dossier_forward(actor=people["desk"], code=dossier.code, assignee=people["specialist"])
    dossier_forward(actor=people["specialist"], code=dossier.code, assignee=staff["leader"])
    dossier_approve(actor=staff["leader"], code=dossier.code, assignee=staff["clerk"])
    monday_morning.move_to(dossier.due_at + timedelta(hours=1))
    dossier_issue_result(actor=staff["clerk"], code=dossier.code)
    scope = Scope(province["commune_a"], *MARCH)
    report = indicators_for(scope)
    for key in (K.FINISHED_EARLY, K.FINISHED_ON_TIME, K.FINISHED_LATE):
        expected = 1 if key == bucket else 0
        assert (key, int(report[key].value), dossiers_behind(supervisor, key, scope).count()) == (
            key,
            expected,
            expected,
        )
    in_time = dossiers_behind(supervisor, K.ON_TIME_SHARE, scope).count()
    assert in_time == report[K.ON_TIME_SHARE].numerator == (1 if compare == "date" else 0)
