"""Targets edited by administrators: set, change, delete, copy a year; each audited; refusals change nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import translation

from motcua.core.models import AuditEntry
from motcua.identity.constants import Role
from motcua.reports.constants import IndicatorKey as K
from motcua.reports.models import Target
from motcua.reports.services import (
    TargetForbidden,
    TargetInvalid,
    TargetNotFound,
    target_delete,
    target_set,
    targets_copy_year,
)
from tests.factories import make_staff

YEAR = 2031  # the seeded years (2025-2030) stay out of the way


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):  # messages asserted by their msgid (the Vietnamese: test_report_pages)
        yield


@pytest.fixture
def admin(province):
    return make_staff(Role.ADMINISTRATOR, province["province"], include_subagencies=True)


def targets() -> list[tuple]:
    return list(
        Target.objects.filter(year__gte=YEAR)
        .order_by("year", "indicator", "level", F("agency_id").asc(nulls_first=True))
        .values_list("year", "indicator", "level", "agency__code", "comparator", "value", "source")
    )


def audits() -> list[tuple[str, str]]:
    return list(AuditEntry.objects.filter(action__startswith="target").order_by("id").values_list("action", "summary"))


def test_an_administrator_sets_changes_and_deletes_a_target(admin, province) -> None:
    target = target_set(
        actor=admin,
        year=YEAR,
        indicator=K.ONLINE_SHARE,
        level="",
        agency=None,
        comparator="gte",
        value="60",
        source="Kế hoạch 2031",
    )
    again = target_set(
        actor=admin,
        year=YEAR,
        indicator=K.ONLINE_SHARE,
        level="",
        agency=None,
        comparator="gte",
        value="65.5",
        source=" Kế hoạch sửa đổi ",
    )
    assert again.pk == target.pk
    commune = target_set(
        actor=admin,
        year=YEAR,
        indicator=K.ONLINE_SHARE,
        level="",
        agency=province["commune_a"],
        comparator="gte",
        value=30,
        source="",
    )
    assert targets() == [
        (YEAR, "online_share", "", None, "gte", Decimal("65.50"), "Kế hoạch sửa đổi"),
        (YEAR, "online_share", "", "H99.101", "gte", Decimal("30.00"), ""),
    ]
    target_delete(actor=admin, target_id=commune.pk)
    assert targets() == [(YEAR, "online_share", "", None, "gte", Decimal("65.50"), "Kế hoạch sửa đổi")]
    assert audits() == [
        ("target_set", "2031 online_share * gte 60.00"),
        ("target_set", "2031 online_share * gte 65.50"),
        ("target_set", "2031 online_share H99.101 gte 30.00"),
        ("target_delete", "2031 online_share H99.101"),
    ]
    assert AuditEntry.objects.filter(action="target_set").order_by("id")[1].data == {
        "created": False,
        "before": {"comparator": "gte", "value": "60.00", "source": "Kế hoạch 2031"},
    }


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"year": 1999}, {"year": ["Give a year between 2000 and 2100."]}),
        ({"indicator": "speed"}, {"indicator": ["Choose an indicator from the list."]}),
        ({"level": "village"}, {"level": ["Choose a level from the list."]}),
        (
            {"level": "commune", "agency": "commune_a"},
            {"agency": ["A target applies to a level or to one agency, not both."]},
        ),
        ({"comparator": "eq"}, {"comparator": ["Choose “at least” or “at most”."]}),
        ({"value": "abc"}, {"value": ["Give the target as a number, e.g. 60 or 99.5."]}),
        ({"value": "-1"}, {"value": ["A target cannot be negative."]}),
        ({"value": "100.5"}, {"value": ["A share cannot be more than 100 %."]}),
        ({"value": "1.234"}, {"value": ["Give at most 8 digits before the decimal point and 2 after it."]}),
        ({"source": "x" * 256}, {"source": ["The source may have at most 255 characters."]}),
    ],
)
def test_invalid_targets_are_refused_and_change_nothing(admin, province, changes, errors) -> None:
    values = {
        "year": YEAR,
        "indicator": K.ONLINE_SHARE,
        "level": "",
        "agency": None,
        "comparator": "gte",
        "value": "60",
        "source": "",
    }
    values.update(changes)
    if isinstance(values["agency"], str):
        values["agency"] = province[values["agency"]]
    with pytest.raises(TargetInvalid) as refused:
        target_set(actor=admin, **values)
    assert (refused.value.code, refused.value.details) == ("target_invalid", errors)
    assert (targets(), audits()) == ([], [])


def test_counts_and_productivity_may_exceed_a_hundred(admin) -> None:
    target_set(
        actor=admin,
        year=YEAR,
        indicator=K.DESK_PRODUCTIVITY,
        level="commune",
        agency=None,
        comparator="gte",
        value=800,
        source="",
    )
    assert targets() == [(YEAR, "desk_productivity", "commune", None, "gte", Decimal("800.00"), "")]


def test_only_administrators_of_the_agency_set_its_targets(admin, province) -> None:
    commune_admin = make_staff(Role.ADMINISTRATOR, province["commune_a"])
    supervisor = make_staff(Role.SUPERVISOR, province["province"], include_subagencies=True)
    target_set(
        actor=commune_admin,
        year=YEAR,
        indicator=K.ONLINE_SHARE,
        level="",
        agency=province["commune_a"],
        comparator="gte",
        value=30,
        source="",
    )
    refusals = [
        {"actor": commune_admin, "agency": province["commune_b"]},
        {"actor": commune_admin, "agency": None},  # every unit: only a province's administrator
        {"actor": supervisor, "agency": province["commune_a"]},
    ]
    before = (targets(), audits())
    for refusal in refusals:
        with pytest.raises(TargetForbidden):
            target_set(year=YEAR, indicator=K.ONLINE_SHARE, level="", comparator="gte", value=1, source="", **refusal)
    general = target_set(
        actor=admin, year=YEAR, indicator=K.ON_TIME_SHARE, level="", agency=None, comparator="gte", value=100, source=""
    )
    before = (targets(), audits())
    with pytest.raises(TargetForbidden):
        target_delete(actor=commune_admin, target_id=general.pk)
    with pytest.raises(TargetNotFound):
        target_delete(actor=admin, target_id=999999)
    assert (targets(), audits()) == before


def test_a_year_is_copied_keeping_what_the_next_year_already_has(admin, province) -> None:
    for indicator, value in ((K.ONLINE_SHARE, 60), (K.E_RESULT_SHARE, 100)):
        target_set(
            actor=admin,
            year=YEAR,
            indicator=indicator,
            level="",
            agency=None,
            comparator="gte",
            value=value,
            source="KH",
        )
    target_set(
        actor=admin,
        year=YEAR,
        indicator=K.OPEN_OVERDUE,
        level="",
        agency=province["commune_a"],
        comparator="lte",
        value=0,
        source="",
    )
    target_set(
        actor=admin,
        year=YEAR + 1,
        indicator=K.ONLINE_SHARE,
        level="",
        agency=None,
        comparator="gte",
        value=70,
        source="KH mới",
    )
    assert targets_copy_year(actor=admin, from_year=YEAR, to_year=YEAR + 1) == 2
    assert [t for t in targets() if t[0] == YEAR + 1] == [
        (YEAR + 1, "e_result_share", "", None, "gte", Decimal("100.00"), "KH"),
        (YEAR + 1, "online_share", "", None, "gte", Decimal("70.00"), "KH mới"),  # kept
        (YEAR + 1, "open_overdue", "", "H99.101", "lte", Decimal("0.00"), ""),
    ]
    assert audits()[-1] == ("targets_copy_year", "2031 → 2032: 2")
    assert targets_copy_year(actor=admin, from_year=YEAR, to_year=YEAR + 1) == 0  # nothing left to copy
    commune_admin = make_staff(Role.ADMINISTRATOR, province["commune_a"])
    before = (targets(), AuditEntry.objects.count())
    with pytest.raises(TargetInvalid) as same:
        targets_copy_year(actor=admin, from_year=YEAR, to_year=YEAR)
    assert same.value.details == {"to_year": ["Choose another year to copy the targets to."]}
    with pytest.raises(TargetInvalid) as empty:
        targets_copy_year(actor=admin, from_year=2040, to_year=2041)
    assert empty.value.details == {"from_year": ["No target is set for 2040."]}
    with pytest.raises(TargetForbidden):
        targets_copy_year(actor=commune_admin, from_year=YEAR, to_year=YEAR + 5)
    assert (targets(), AuditEntry.objects.count()) == before
