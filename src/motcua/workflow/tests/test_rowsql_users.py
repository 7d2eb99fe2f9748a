"""The hand-built statements of the writer's neighbours hold to the ORM on each database: the counts the
writer upserts with each event equal the ORM's recount from the events, and the tracking-book entries
it numbers in SQL equal what the ORM backfill numbers."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.dossiers.models import Dossier
from motcua.workflow.book_entries import book_entries_backfill
from motcua.workflow.constants import ReturnVia
from motcua.workflow.models import COUNTERS, BookEntry, BookVolume, DossierDayStat, DossierMonthStat
from motcua.workflow.processing import (
    dossier_approve,
    dossier_forward,
    dossier_issue_result,
    dossier_return_result,
    dossier_take,
)
from motcua.workflow.services import dossier_refuse, dossier_submit_online
from motcua.workflow.stats import stats_from_events
from tests.intake import birth_application
from tests.processing import process_staff, received_birth_dossier

pytestmark = pytest.mark.usefixtures("monday_morning")

KEY = ("day", "agency_id", "receiving_agency_id", "procedure_id", "channel")


@pytest.fixture
def history(province: Any, people: dict[str, Any], settings: Any, tmp_path: Any) -> list[Dossier]:
    """Two dossiers returned (one electronically), one issued, one received, one refused."""
    staff = process_staff(province, settings, tmp_path)
    desk, specialist, leader, clerk = people["desk"], people["specialist"], staff["leader"], staff["clerk"]
    dossiers = []
    for index in range(4):
        code = received_birth_dossier(people).code
        if index < 3:
            dossier_forward(actor=desk, code=code)
            dossier_take(actor=specialist, code=code)
            dossier_forward(actor=specialist, code=code, assignee=leader)
            dossier_approve(actor=leader, code=code, assignee=clerk)
            dossier_issue_result(actor=clerk, code=code)
        if index < 2:
            via = ReturnVia.ELECTRONIC if index == 0 else ReturnVia.DESK
            dossier_return_result(actor=desk, code=code, via=via)
        dossiers.append(Dossier.objects.get(code=code))
    refused = dossier_submit_online(actor=people["citizen"], application=birth_application())
    dossier_refuse(actor=desk, code=refused.code, reason="Không thuộc thẩm quyền")
    return dossiers


def counts(model: Any) -> list[dict[str, Any]]:
    return sorted(
        (row for row in model.objects.values(*KEY, *COUNTERS)),
        key=lambda row: tuple(str(row[k]) for k in KEY),
    )


def test_the_counts_upserted_with_each_event_equal_the_orm_recount(history: list[Dossier]) -> None:
    recount = sorted(stats_from_events(), key=lambda row: tuple(str(row[k]) for k in KEY))
    months: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in recount:
        month = {**row, "day": row["day"].replace(day=1)}
        key = tuple(month[k] for k in KEY)
        if key in months:
            months[key] = {**months[key], **{c: months[key][c] + row[c] for c in COUNTERS}}
        else:
            months[key] = month

    assert counts(DossierDayStat) == recount
    assert counts(DossierMonthStat) == sorted(months.values(), key=lambda row: tuple(str(row[k]) for k in KEY))
    day = counts(DossierDayStat)
    assert sum(row["received"] for row in day) == 4 and sum(row["refused"] for row in day) == 1
    assert sum(row["returned_electronic"] for row in day) == 1


def test_the_book_entries_numbered_in_sql_equal_the_orm_backfill(history: list[Dossier]) -> None:
    entries = sorted(BookEntry.objects.values_list("dossier_id", "volume", "number"))
    volumes = sorted(BookVolume.objects.values_list("volume", "last"))
    BookEntry.objects.all().delete()
    BookVolume.objects.all().delete()

    assert book_entries_backfill() == 4
    assert sorted(BookEntry.objects.values_list("dossier_id", "volume", "number")) == entries
    assert sorted(BookVolume.objects.values_list("volume", "last")) == volumes
    assert [number for _d, _v, number in entries] == [1, 2, 3, 4]
