"""The ratings report (issue 17, item 2): exact figures per unit, desk and officer on a hand-built set, the
unsatisfied comments, the scope of the viewer, and a fixed number of queries."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.agencies.models import Desk
from motcua.identity.constants import Role
from motcua.satisfaction.models import Rating
from motcua.satisfaction.report import rating_report
from motcua.workflow.services import dossier_submit_online
from tests.factories import UserFactory, make_staff
from tests.intake import HCM, birth_application


def at(month: int, day: int, hour: int) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=HCM)


@pytest.fixture
def ratings(province, people, monday_morning) -> dict[str, Any]:
    """Five ratings in March 2026 at the two communes, one the first instant of April (outside)."""
    officers = {name: UserFactory(full_name=name) for name in ("Cán bộ Một", "Cán bộ Hai", "Cán bộ Ba")}
    desk_a, desk_b = Desk.objects.get(code="H99.101.MC"), Desk.objects.get(code="H99.102.MC")
    a, b = province["commune_a"], province["commune_b"]
    rows = [
        (a, desk_a, "Cán bộ Một", "very_satisfied", {"attitude": "very_satisfied"}, "Rất tốt", at(3, 9, 10)),
        (a, desk_a, "Cán bộ Một", "satisfied", {"attitude": "not_satisfied", "time": "satisfied"}, "", at(3, 10, 8)),
        (a, desk_a, "Cán bộ Hai", "not_satisfied", {"time": "not_satisfied"}, "Chờ quá lâu", at(3, 31, 23)),
        (b, desk_b, "Cán bộ Ba", "not_satisfied", {}, "", at(3, 1, 0)),
        (b, None, None, "satisfied", {"clarity": "satisfied"}, "", at(3, 15, 12)),
        (a, desk_a, "Cán bộ Một", "very_satisfied", {}, "", at(4, 1, 0)),  # April: outside the period
    ]
    made = []
    for agency, desk, officer, level, scores, comment, rated_at in rows:
        dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
        made.append(
            Rating.objects.create(
                dossier=dossier,
                level=level,
                scores=scores,
                comment=comment,
                channel="online",
                agency=agency,
                desk=desk,
                officer=officers[officer] if officer else None,
                rated_at=rated_at,
            )
        )
    return {"ratings": made, "desk_a": desk_a, "desk_b": desk_b, "officers": officers}


def a_citizen() -> Any:
    from tests.factories import make_citizen

    return make_citizen()


def figures(lines: list[Any]) -> list[tuple[Any, ...]]:
    return [(line.name, line.count, line.satisfied_share, line.level_counts(), line.criterion_shares) for line in lines]


def test_the_report_figures_are_exact(province, ratings) -> None:
    ids = [province[key].pk for key in ("province", "department", "unit", "commune_a", "commune_b")]

    with CaptureQueriesContext(connection) as queries:
        report = rating_report(agency_ids=ids, start=date(2026, 3, 1), end=date(2026, 3, 31))

    assert len(queries) == 5
    assert [c.code for c in report.criteria] == ["attitude", "time", "clarity"]
    assert (report.total.count, report.total.satisfied_share, report.total.level_counts()) == (
        5,
        Decimal("60.0"),
        [1, 2, 2],
    )
    assert [report.total.criterion_counts(code) for code in ("attitude", "time", "clarity")] == [
        [1, 0, 1],
        [0, 1, 1],
        [0, 1, 0],
    ]
    assert figures(report.units) == [
        ("Xã An", 3, Decimal("66.7"), [1, 1, 1], [Decimal("50.0"), Decimal("50.0"), None]),
        ("Xã Bình", 2, Decimal("50.0"), [0, 1, 1], [None, None, Decimal("100.0")]),
    ]
    assert figures(report.desks) == [
        ("Desk H99.101", 3, Decimal("66.7"), [1, 1, 1], [Decimal("50.0"), Decimal("50.0"), None]),
        ("Desk H99.102", 1, Decimal("0.0"), [0, 0, 1], [None, None, None]),
        ("", 1, Decimal("100.0"), [0, 1, 0], [None, None, Decimal("100.0")]),
    ]
    assert figures(report.officers) == [
        ("Cán bộ Ba", 1, Decimal("0.0"), [0, 0, 1], [None, None, None]),
        ("Cán bộ Hai", 1, Decimal("0.0"), [0, 0, 1], [None, Decimal("0.0"), None]),
        ("Cán bộ Một", 2, Decimal("100.0"), [1, 1, 0], [Decimal("50.0"), Decimal("100.0"), None]),
        ("", 1, Decimal("100.0"), [0, 1, 0], [None, None, Decimal("100.0")]),
    ]
    # Only unsatisfied ratings with a comment: "Rất tốt" is satisfied, the Bình one has no comment.
    assert [(r.dossier.code, r.comment) for r in report.complaints] == [
        (ratings["ratings"][2].dossier.code, "Chờ quá lâu")
    ]


def test_a_unit_leader_sees_only_the_units_they_cover(province, ratings) -> None:
    leader = make_staff(Role.UNIT_LEADER, province["commune_b"])
    client = Client()
    client.force_login(leader)

    page = client.get(reverse("backoffice:rating-report"), {"start": "2026-03-01", "end": "2026-03-31"})

    assert page.status_code == 200
    report = page.context["report"]
    assert (report.total.count, [line.name for line in report.units]) == (2, ["Xã Bình"])
    assert "Chờ quá lâu" not in page.content.decode()
    foreign = client.get(reverse("backoffice:rating-report"), {"unit": province["commune_a"].pk})
    assert foreign.status_code == 400  # a unit they do not cover is not a choice


def test_the_supervisor_page_lists_the_comments_in_a_fixed_number_of_queries(
    province, ratings, django_assert_num_queries
) -> None:
    supervisor = make_staff(Role.SUPERVISOR, province["province"], include_subagencies=True)
    client = Client()
    client.force_login(supervisor)
    url = reverse("backoffice:rating-report")
    query = {"unit": province["province"].pk, "start": "2026-03-01", "end": "2026-03-31"}
    client.get(url, query)  # the session and the grants are warm

    with CaptureQueriesContext(connection) as queries:
        page = client.get(url, query)

    body = page.content.decode()
    assert page.status_code == 200
    assert "5 lượt đánh giá, 60.0 % hài lòng." in body or "5 lượt đánh giá, 60,0 % hài lòng." in body
    assert "Chờ quá lâu" in body
    # session, user, second factor, grants, units; then the report's five, however many ratings there are.
    assert len(queries) == 10, "\n".join(q["sql"][:150] for q in queries.captured_queries)
    for rating in ratings["ratings"][:3]:  # three more comments, in another unit's desk
        dossier = dossier_submit_online(actor=a_citizen(), application=birth_application())
        Rating.objects.create(
            dossier=dossier,
            level="not_satisfied",
            comment="Thêm",
            channel="desk",
            agency=province["unit"],
            desk=ratings["desk_b"],
            officer=None,
            rated_at=rating.rated_at,
        )
    with CaptureQueriesContext(connection) as again:
        more = client.get(url, query)
    assert len(again) == 10 and more.content.decode().count("Thêm") == 3
    bad = client.get(url, {"start": "2026-03-31", "end": "2026-03-01"})
    assert bad.status_code == 400 and "Ngày cuối kỳ ở trước ngày đầu kỳ." in bad.content.decode()
