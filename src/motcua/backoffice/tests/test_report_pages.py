"""Report pages: the dashboard and its numbers, the dossiers behind each number, the targets editor."""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from motcua.core.models import AuditEntry
from motcua.identity.constants import Role
from motcua.reports.models import Target
from motcua.workflow.services import dossier_receive, dossier_submit_online
from tests.factories import make_agency, make_staff
from tests.intake import birth_application
from tests.reports import small_history

DASHBOARD = reverse("backoffice:dashboard")
DOSSIERS = reverse("backoffice:dashboard-dossiers")
TARGETS = reverse("backoffice:targets")
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
MARCH = {"agency": "H99.101", "from": "2026-03-01", "to": "2026-03-31"}
LINK = re.compile(r'<a href="(/can-bo/bao-cao/ho-so/\?[^"]+)"[^>]*>([^<]+)</a>')
CHART_LINK = re.compile(r'<a href="(/can-bo/bao-cao/ho-so/\?[^"]+)" aria-label="[^"]*: (\d+)">')


@pytest.fixture
def history(province, people, settings, tmp_path, monday_morning):
    return small_history(province, people, settings, tmp_path, monday_morning)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def supervisor(province) -> Client:
    return client_for(make_staff(Role.SUPERVISOR, province["province"], include_subagencies=True))


@pytest.fixture
def admin(province) -> Client:
    return client_for(make_staff(Role.ADMINISTRATOR, province["province"], include_subagencies=True))


def text_of(response: Any) -> str:
    page = re.sub(r"<svg.*?</svg>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def listed(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page"].paginator.count


def test_the_dashboard_shows_the_units_figures_against_their_targets(history, supervisor) -> None:
    response = supervisor.get(DASHBOARD, MARCH, **EN)
    assert response.status_code == 200
    cards = {
        row.indicator.key: (row.indicator.value, row.indicator.numerator, row.target_text, row.mark.text)
        for row in response.context["headlines"]
    }
    assert cards == {
        "received": (Decimal(4), None, "", "No target"),
        "online_share": (Decimal("75.00"), 3, "≥ 60 %", "Met"),
        "on_time_share": (Decimal("100.00"), 1, "≥ 100 %", "Met"),
        "open_overdue": (Decimal(1), None, "≤ 0", "Not met"),
        "timeliness": (Decimal("50.00"), 2, "", "No target"),
        "digitized_share": (Decimal("75.00"), 3, "≥ 100 %", "Not met"),
        "e_result_share": (Decimal("100.00"), 1, "≥ 100 %", "Met"),
        "reuse_share": (Decimal("0.00"), 0, "≥ 50 %", "Not met"),
    }
    text = text_of(response)
    assert "Xã An (H99.101) · 01/03/2026 – 31/03/2026" in text
    assert "Share received online 75 % 3 / 4 Target: ≥ 60 % ✓ Met" in text
    assert "Open and overdue 1 Target: ≤ 0 ✗ Not met" in text
    # The scorecard: measured groups scored, the others "not measured yet", never 0.
    assert "Tiến độ, kết quả giải quyết 10 / 20" in text
    assert "Thanh toán trực tuyến Not measured yet / 10" in text
    assert "Số hóa hồ sơ, kết quả 14.50 / 22 Tỷ lệ" in text  # every item measured since issue 14
    assert response.context["ranking"] == []  # a commune has no sub-unit
    assert "This unit has no sub-unit." in text
    # The chart is inline SVG, with a title for screen readers, and the same figures in a table.
    page = response.content.decode()
    assert '<svg class="chart"' in page and '<title id="trend-title">Dossiers by month</title>' in page
    assert "<script" not in page.split("<main", 1)[1]


def test_every_number_opens_a_list_of_as_many_dossiers(history, supervisor) -> None:
    for query in ({"agency": "H99", "from": "2026-03-01", "to": "2026-03-31"}, MARCH):
        page = supervisor.get(DASHBOARD, query, **EN).content.decode()
        numbers = [(html.unescape(url), text.strip()) for url, text in LINK.findall(page)]
        numbers += [(html.unescape(url), value) for url, value in CHART_LINK.findall(page)]
        counted = [(url, int(text)) for url, text in numbers if text.isdigit()]
        assert len(counted) >= 25
        for url, number in counted:
            assert (url, listed(supervisor, url)) == (url, number)
        shares = [(url, text) for url, text in numbers if text.endswith("%")]
        assert len(shares) >= 8
        for url, _text in shares:  # a share opens the list of its numerator, also linked next to it
            assert url in {u for u, _n in counted} or parse_qs(urlsplit(url).query)["key"][0] in {
                "timeliness",
                "on_time_share",
                "online_share",
            }


def test_the_list_behind_a_number(history, supervisor) -> None:
    d = history["dossiers"]
    response = supervisor.get(DOSSIERS, {"key": "received", **MARCH}, **EN)
    assert [row.dossier.code for row in response.context["rows"]] == [d["d5"], d["d4"], d["d2"], d["d1"]]
    text = text_of(response)
    assert "Dossiers received Xã An (H99.101) · 01/03/2026 – 31/03/2026 4 dossiers" in text
    assert "*********234" in text and "042190001234" not in text  # the applicant's ID is masked
    page = response.content.decode()
    assert f'href="/can-bo/xu-ly/{d["d1"]}/"' in page  # to the processing page
    overdue = supervisor.get(DOSSIERS, {"key": "open_overdue", **MARCH}, **EN)
    assert [row.dossier.code for row in overdue.context["rows"]] == [d["d4"]]
    # Defaults: the viewer's top unit, the current month, the received dossiers.
    default = supervisor.get(DOSSIERS, **EN)
    assert (default.context["filters"].agency.code, default.context["key"]) == ("H99", "received")
    assert (default.context["filters"].start, default.context["filters"].end) == (date(2026, 3, 1), date(2026, 3, 31))
    assert default.context["page"].paginator.count == 4


def test_a_viewer_reads_only_the_units_they_may_see(history, people) -> None:
    desk = client_for(people["desk"])
    response = desk.get(DASHBOARD, **EN)
    assert [a.code for a in response.context["agencies"]] == ["H99.101"]
    assert response.context["filters"].agency.code == "H99.101"
    other = client_for(people["other_desk"])
    refused = other.get(DASHBOARD, MARCH, **EN)
    assert "report" not in refused.context and "agency" in refused.context["form"].errors
    listing = other.get(DOSSIERS, {"key": "received", **MARCH}, **EN)
    assert "page" not in listing.context and "agency" in listing.context["form"].errors
    nobody = client_for(make_staff(Role.SUPERVISOR, history["province"]))  # the province without sub-agencies
    empty = nobody.get(DASHBOARD, **EN)
    assert "You hold no role on a unit whose figures you may read." in text_of(empty)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"period": "range", "from": "2020-01-01", "to": "2025-01-01"}, "to", "A report covers at most 5 years"),
        ({"period": "range", "from": "2026-03-31", "to": "2026-03-01"}, "to", "must not be before its start"),
        ({"period": "range", "from": "2026-03-01"}, "to", "Give both dates of a custom range."),
        ({"procedure": "9.999999"}, "procedure", "No procedure has the code “9.999999”."),
        ({"year": "1990"}, "year", "greater than or equal to 2000"),
    ],
)
def test_invalid_filters_say_why_and_show_no_figures(history, supervisor, query, field, message) -> None:
    response = supervisor.get(DASHBOARD, {"agency": "H99", **query}, **EN)
    assert response.status_code == 200 and "report" not in response.context
    assert message in " ".join(response.context["form"].errors[field])


@pytest.mark.parametrize(
    ("query", "start", "end"),
    [
        ({}, date(2026, 3, 1), date(2026, 3, 31)),  # the current month
        ({"period": "quarter", "year": "2026", "quarter": "1"}, date(2026, 1, 1), date(2026, 3, 31)),
        ({"period": "year", "year": "2025"}, date(2025, 1, 1), date(2025, 12, 31)),
        ({"period": "month", "year": "2024", "month": "2"}, date(2024, 2, 1), date(2024, 2, 29)),
        ({"from": "2026-03-09", "to": "2026-03-10"}, date(2026, 3, 9), date(2026, 3, 10)),  # a link's own dates
    ],
)
def test_period_presets(history, supervisor, query, start, end) -> None:
    filters = supervisor.get(DASHBOARD, query, **EN).context["filters"]
    assert (filters.agency.code, filters.start, filters.end) == ("H99", start, end)


def test_filtering_by_sector_and_procedure(history, supervisor) -> None:
    certification = supervisor.get(DASHBOARD, {**MARCH, "sector": "CHUNGTHUC"}, **EN)
    assert certification.context["report"]["received"].value == 0
    birth = supervisor.get(DASHBOARD, {**MARCH, "procedure": "1.001193"}, **EN)
    assert birth.context["report"]["received"].value == 4
    assert "received&agency=H99.101&from=2026-03-01&to=2026-03-31&procedure=1.001193" in html.unescape(
        birth.content.decode()
    )


def queries_of(client: Client, query: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(DASHBOARD, query, **EN).status_code == 200
    return len(captured)


# The second factor's device is one of them. The ranking rolls up the rows the indicators read: no query
# of its own but its units.
DASHBOARD_QUERIES = (
    27  # 20, the two of the digitization indicators (certifying agencies, backfile), the two of payments,
    # the three of feedback, ratings and the queue (issue 17)
)


def test_the_dashboard_reads_a_fixed_number_of_queries(history, supervisor, people) -> None:
    province = {"agency": "H99", "from": "2026-03-01", "to": "2026-03-31"}
    assert queries_of(supervisor, province) == DASHBOARD_QUERIES  # 5 dossiers, 3 sub-units
    for _n in range(25):  # 30 dossiers
        dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
        dossier_receive(actor=people["desk"], code=dossier.code)
    for n in range(3, 5):  # 5 sub-units
        make_agency(f"H99.1{n:02d}", parent="H99", name=f"Xã {n}")
    assert queries_of(supervisor, province) == DASHBOARD_QUERIES
    listing = supervisor.get(DOSSIERS, {"key": "received", **province}, **EN)
    assert (listing.context["page"].paginator.count, len(listing.context["rows"])) == (29, 25)  # pages of 25
    second = supervisor.get(DOSSIERS, {"key": "received", **province, "page": "2"}, **EN)
    assert len(second.context["rows"]) == 4


# --- targets ------------------------------------------------------------------------------------------


def target_rows(year: int) -> list[tuple[Any, ...]]:
    return list(
        Target.objects.filter(year=year)
        .order_by("indicator", "level", "agency__code")
        .values_list("indicator", "level", "agency__code", "comparator", "value", "source")
    )


def test_administrators_edit_the_targets_of_a_year(province, admin) -> None:
    seeded = admin.get(TARGETS, {"year": "2026"}, **EN)
    assert (
        len(seeded.context["targets"]) == 18
    )  # the plans' targets, seeded for 2025-2030 (online payment since issue 16)
    response = admin.post(
        f"{TARGETS}?year=2031",
        {
            "indicator": "online_share",
            "level": "",
            "agency": "h99.101",
            "comparator": "gte",
            "value": "30",
            "source": "KH 2031",
        },
        **EN,
    )
    assert response.status_code == 302 and response["Location"] == f"{TARGETS}?year=2031"
    assert target_rows(2031) == [("online_share", "", "H99.101", "gte", Decimal("30.00"), "KH 2031")]
    target = Target.objects.get(year=2031)
    edit = reverse("backoffice:target-edit", kwargs={"target_id": target.pk})
    assert admin.get(edit, **EN).status_code == 200
    # What the target is about cannot be changed on the edit page; its figure, comparison and source can.
    admin.post(
        edit,
        {"indicator": "timeliness", "agency": "H99.102", "comparator": "gte", "value": "45.5", "source": "KH sửa"},
        **EN,
    )
    assert target_rows(2031) == [("online_share", "", "H99.101", "gte", Decimal("45.50"), "KH sửa")]
    copy = admin.post(reverse("backoffice:targets-copy"), {"from_year": "2031", "to_year": "2032"}, **EN)
    assert copy["Location"] == f"{TARGETS}?year=2032"
    assert target_rows(2032) == target_rows(2031)
    admin.post(reverse("backoffice:target-delete", kwargs={"target_id": target.pk}), **EN)
    assert target_rows(2031) == []
    assert list(
        AuditEntry.objects.filter(action__startswith="target").order_by("id").values_list("action", flat=True)
    ) == ["target_set", "target_set", "targets_copy_year", "target_delete"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"value": "120"}, "value", "A share cannot be more than 100 %."),
        (
            {"level": "commune", "agency": "H99.101"},
            "agency",
            "A target applies to a level or to one agency, not both.",
        ),
        ({"agency": "H00.999"}, "agency", "No agency has the code “H00.999”."),
        ({"value": "abc"}, "value", "Enter a number."),
    ],
)
def test_an_invalid_target_is_refused_with_its_reason(province, admin, data, field, message) -> None:
    before = (target_rows(2031), AuditEntry.objects.count())
    values = {
        "indicator": "online_share",
        "level": "",
        "agency": "",
        "comparator": "gte",
        "value": "60",
        "source": "",
        **data,
    }
    response = admin.post(f"{TARGETS}?year=2031", values, **EN)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert (target_rows(2031), AuditEntry.objects.count()) == before


def test_targets_speak_vietnamese(province, admin) -> None:
    response = admin.post(
        f"{TARGETS}?year=2031",
        {"indicator": "online_share", "level": "", "agency": "", "comparator": "gte", "value": "120", "source": ""},
    )
    assert "Tỷ lệ không thể lớn hơn 100 %." in response.content.decode()


def test_the_dashboard_speaks_vietnamese(history, supervisor) -> None:
    text = text_of(supervisor.get(DASHBOARD, MARCH))
    assert "Thanh toán trực tuyến Chưa đo được / 10" in text  # never 0
    assert "✓ Đạt" in text and "✗ Không đạt" in text
    assert "Số hóa hồ sơ, kết quả 14,50 / 22 Tỷ lệ" in text  # every item measured since issue 14


def test_units_without_dossiers_are_listed_last_without_a_rank(history, supervisor) -> None:
    with translation.override("vi"):
        response = supervisor.get(DASHBOARD, {**MARCH, "agency": "H99"})
    assert response.status_code == 200
    lines = [(line["row"].agency.code, line["row"].rank) for line in response.context["ranking"]]
    assert lines == [("H99.101", 1), ("H99.01", None), ("H99.102", None)]
    text = text_of(response)
    assert "1 Xã An (H99.101) 4" in text
    assert "— Sở Tư pháp (H99.01) – chưa có hồ sơ trong kỳ 0" in text
    assert "— Xã Bình (H99.102) – chưa có hồ sơ trong kỳ 0" in text
