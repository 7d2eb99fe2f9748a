"""The public statistics page shows the figures of the supervisor's dashboard (issue 17, acceptance): the
same unit and period read in the browser on both pages, number by number; the public page on a phone.

The history is the dashboard journey's (at the demo commune: one dossier decided and returned
electronically, one received and waiting, one refused at reception), plus a rating of the returned one.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import pytest
from django.db import connections
from django.utils import timezone

from motcua.demo.province import demo_agencies
from motcua.dossiers.models import Dossier
from motcua.identity.models import User
from motcua.satisfaction.constants import Level, RatingChannel
from motcua.satisfaction.services import rating_record
from tests.e2e.demo_forms import CITIZEN
from tests.e2e.test_dashboard_journey import _build_history, number, sign_in

pytestmark = pytest.mark.browser


def _history_with_a_rating() -> dict[str, str]:
    try:
        codes = _build_history()
        rating_record(
            dossier=Dossier.objects.get(code=codes["decided"]),
            level=Level.SATISFIED,
            channel=RatingChannel.ONLINE,
            actor=User.objects.get(username=CITIZEN),
        )
        return codes
    finally:
        connections.close_all()


def history() -> dict[str, str]:
    """In a thread of its own: signing the result runs an event loop, as Playwright's sync API does."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_history_with_a_rating).result()


PUBLIC_CARDS = {  # the public page's card -> the dashboard's indicator (row of "All indicators")
    "stat-received": ("received",),
    "stat-online-share": ("online_share",),
    "stat-in-time": ("finished_early", "finished_on_time"),
    "stat-late": ("finished_late",),
    "stat-on-time-share": ("on_time_share",),
    "stat-open-overdue": ("open_overdue",),
    "stat-satisfaction": ("satisfaction_share",),
    "stat-feedback": ("feedback_on_time_share",),
}


def test_the_public_page_shows_the_dashboards_figures(browser: Any, phone: Any, demo_site: Any) -> None:
    history()
    commune = demo_agencies()["commune"]
    today = timezone.localdate()

    phone.goto(f"{demo_site.url}/")
    phone.locator("footer a[href='/thong-ke/']").click()
    phone.wait_for_selector("#stat-received")
    phone.locator("#id_unit").select_option(commune.code)
    phone.locator("#id_year").select_option(str(today.year))
    phone.locator("#id_month").select_option(str(today.month))
    phone.locator("form.filters button[type=submit]").click()
    phone.wait_for_url(f"**/thong-ke/?unit={commune.code}*")
    assert phone.locator("#stats-title").inner_text() == commune.name
    public = {ident: number(phone.locator(f"#{ident} .kpi-value").inner_text()) for ident in PUBLIC_CARDS}
    ratings = phone.locator("#stat-satisfaction .kpi-ratio").inner_text()
    assert "cập nhật lúc" in phone.locator("#stats-updated").inner_text()
    assert phone.locator("svg.chart").count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone

    page = sign_in(browser, demo_site.url, "giamsat")
    try:
        query = f"agency={commune.code}&period=month&year={today.year}&month={today.month}"
        page.goto(f"{demo_site.url}/can-bo/bao-cao/?{query}")
        page.wait_for_selector("#indicators")

        def shown(key: str) -> Decimal | None:
            return number(page.locator(f"#row-{key} td").nth(0).inner_text())

        dashboard: dict[str, Decimal | None] = {}
        for ident, keys in PUBLIC_CARDS.items():
            values = [shown(key) for key in keys]
            dashboard[ident] = None if None in values else sum(values, Decimal(0))  # type: ignore[arg-type]
        rated = shown("ratings")
    finally:
        page.context.close()

    assert public == dashboard
    # The figures themselves: two received (one refused at reception is not), both online; one finished
    # early; one satisfied rating; no feedback answered.
    assert public == {
        "stat-received": Decimal(2),
        "stat-online-share": Decimal(100),
        "stat-in-time": Decimal(1),
        "stat-late": Decimal(0),
        "stat-on-time-share": Decimal(100),
        "stat-open-overdue": Decimal(0),
        "stat-satisfaction": Decimal(100),
        "stat-feedback": None,
    }
    assert rated == Decimal(1) and ratings.startswith("1 ")
