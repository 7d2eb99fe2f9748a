"""The public statistics page and the published apologies (issue 17, item 4): the dashboard's figures, at
most a minute old, and no personal data."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.reports.constants import IndicatorKey as K
from motcua.reports.indicators import Scope, indicators_for
from motcua.reports.public import mask_dossier_code, mask_name, public_stats, public_stats_compute
from motcua.workflow.processing import dossier_apologize
from tests.intake import HCM
from tests.processing import process_staff, received_birth_dossier
from tests.reports import small_history

PAGE = "/thong-ke/"
APOLOGIES = "/xin-loi/"
MARCH = {"year": 2026, "month": 3}


@pytest.fixture
def history(province, people, settings, tmp_path, monday_morning) -> dict[str, Any]:
    return small_history(province, people, settings, tmp_path, monday_morning)


def card(html: str, ident: str) -> str:
    found = re.search(rf'id="{ident}"[^>]*>.*?class="kpi-value" data-value="([^"]*)"', html, re.S)
    assert found, ident
    return found.group(1)


def test_the_page_shows_the_dashboards_figures_and_no_person(client, history) -> None:
    assert reverse("portal:public-stats") == PAGE
    response = client.get(PAGE, {"unit": "H99.101", **MARCH})
    assert response.status_code == 200
    html = response.content.decode()
    report = indicators_for(Scope(agency=history["commune_a"], start=date(2026, 3, 1), end=date(2026, 3, 31)))
    assert card(html, "stat-received") == str(report[K.RECEIVED].value) == "4"  # d1, d2, d4, d5 (d3 refused)
    assert card(html, "stat-online-share") == str(report[K.ONLINE_SHARE].value) == "75.00"
    assert card(html, "stat-in-time") == "1"  # d1, early
    assert card(html, "stat-late") == str(report[K.FINISHED_LATE].value) == "0"
    assert card(html, "stat-on-time-share") == str(report[K.ON_TIME_SHARE].value) == "100.00"
    assert card(html, "stat-open-overdue") == str(report[K.OPEN_OVERDUE].value) == "1"  # d4
    assert card(html, "stat-satisfaction") == "" and 'data-ratings="0"' in html  # nothing rated: "—"
    assert "Số liệu cập nhật lúc 10:00:00" in html  # the frozen clock: Wednesday 11 March 10:00
    assert "<svg" in html and "Xã An" in html
    for dossier in Dossier.objects.all():  # not a name, an ID number or a code of any dossier
        assert dossier.applicant_name not in html
        assert dossier.applicant_id_number not in html
        assert dossier.code not in html


def test_the_province_ranks_its_units_and_links_to_them(client, history) -> None:
    html = client.get(PAGE, MARCH).content.decode()  # the province by default
    assert card(html, "stat-received") == "4"
    ranking = html[html.index('id="ranking"') :]
    assert ranking.index("Xã An") < ranking.index("Xã Bình")  # the only one with dossiers ranks first
    assert "?unit=H99.101&amp;year=2026&amp;month=3" in ranking


def test_the_figures_are_cached_for_at_most_a_minute(client, history, monday_morning) -> None:
    agency, start, end = history["commune_a"], date(2026, 3, 1), date(2026, 3, 31)
    first = public_stats(agency, start, end)
    received_birth_dossier(history_people(history))  # a new reception: counted at once in the tables
    monday_morning.shift(timedelta(seconds=59))
    assert public_stats(agency, start, end) == first  # served from the cache, 59 s old
    monday_morning.shift(timedelta(seconds=1))
    fresh = public_stats(agency, start, end)
    assert (first.received, fresh.received) == (4, 5)
    assert fresh == public_stats_compute(agency, start, end, now=fresh.computed_at)


def history_people(history: dict[str, Any]) -> dict[str, Any]:
    from motcua.identity.models import User

    dossier = Dossier.objects.select_related("applicant").first()
    assert dossier is not None
    desk = User.objects.get(pk=dossier.events.filter(action="receive").values_list("actor", flat=True).first())
    return {"citizen": dossier.applicant, "desk": desk}


def test_bad_filters_are_refused_in_vietnamese(client, history) -> None:
    response = client.get(PAGE, {"unit": "NO.SUCH", "year": 2026})
    assert response.status_code == 400
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    response = client.get(PAGE, {"year": 2026, "month": 12})
    assert response.status_code == 400
    assert "Tháng này chưa bắt đầu." in response.content.decode()


# --------------------------------------------------------------------------------------------- apologies


def test_names_and_codes_are_masked() -> None:
    assert mask_name("Nguyễn Văn An") == "Nguyễn V. A."
    assert mask_name("  Lê   Thị Hồng Nhung ") == "Lê T. H. N."
    assert mask_name("An") == "A."
    assert mask_name("Công ty TNHH Ánh Dương", "enterprise") == "Công ty TNHH Ánh Dương"
    assert mask_dossier_code("H49.12-251201-0007") == "H49.12-251201-****"


def test_apologies_are_published_masked_and_filtered(client, province, people, settings, tmp_path, monday_morning):
    staff = process_staff(province, settings, tmp_path)
    dossier = received_birth_dossier(people)
    new_due = datetime(2026, 3, 12, 16, 0, tzinfo=HCM)
    dossier_apologize(actor=staff["leader"], code=dossier.code, reason="Chờ xác minh của công an", new_due_at=new_due)
    received_birth_dossier(people)  # not apologised for: not listed

    response = client.get(APOLOGIES, {"unit": "H99.101", "month": "2026-03"})
    assert response.status_code == 200
    html = response.content.decode()
    assert mask_name(dossier.applicant_name) in html
    assert dossier.applicant_name not in html and dossier.code not in html
    assert html.count("<tr>") == 2  # the header and one apology
    assert "Chờ xác minh của công an" in html and "12/03/2026" in html and "09/03/2026" in html
    assert client.get(APOLOGIES, {"unit": "H99.102"}).content.decode().count("<tr>") == 0  # commune B: none
    assert client.get(APOLOGIES, {"unit": "H99", "month": "2026-02"}).content.decode().count("<tr>") == 0
    assert client.get(APOLOGIES, {"month": "2026-03"}).content.decode().count("<tr>") == 2  # the province


def test_a_bad_month_is_refused(client, province, monday_morning) -> None:
    for month in ("tháng ba", "2026-13", "2099-01"):
        response = client.get(APOLOGIES, {"month": month})
        assert response.status_code == 400
        assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()


def test_the_footer_links_to_both_pages(client, province) -> None:
    html = client.get("/").content.decode()
    assert f'href="{PAGE}"' in html and f'href="{APOLOGIES}"' in html
