"""A supervisor reads the province's dashboard, follows a number to the dossiers behind it, and downloads
the figures as a workbook whose totals are those of the page.

The history is built through the services, as the hand-checked history of the reports' tests: at the demo
commune, one dossier decided, signed, issued and returned electronically, one received and waiting, one
refused at reception.
"""

from __future__ import annotations

import io
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connections
from django.utils import timezone, translation

from motcua.catalog.models import RequiredDocument
from motcua.demo.province import demo_agencies
from motcua.identity.models import User
from motcua.reports.constants import IndicatorKey
from motcua.workflow.constants import ReturnVia
from motcua.workflow.processing import dossier_approve, dossier_forward, dossier_issue_result, dossier_return_result
from motcua.workflow.services import Application, dossier_receive, dossier_refuse, dossier_submit_online
from tests.e2e.demo_forms import BIRTH_FORM, CITIZEN
from tests.e2e.staff_login import sign_in_staff
from tests.intake import pdf

pytestmark = pytest.mark.browser


def staff(username: str) -> User:
    return User.objects.get(username=username)


def submit_online() -> str:
    docs = RequiredDocument.objects.filter(version__procedure__code="1.001193", version__status="published")
    uploads = [pdf(f"{d.pk}.pdf", d.pk) for d in docs.order_by("position")]
    commune = demo_agencies()["commune"]
    application = Application(
        procedure_code="1.001193", agency_code=commune.code, form_data=BIRTH_FORM, uploads=uploads
    )
    return dossier_submit_online(actor=User.objects.get(username=CITIZEN), application=application).code


def small_history() -> dict[str, str]:
    """Built in a thread of its own: signing the result runs an event loop, which Playwright's sync API
    already runs in the test's thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_small_history).result()


def _small_history() -> dict[str, str]:
    try:
        return _build_history()
    finally:
        connections.close_all()


def _build_history() -> dict[str, str]:
    desk = staff("motcua.xa")
    decided = submit_online()
    dossier_receive(actor=desk, code=decided)
    dossier_forward(actor=desk, code=decided, assignee=staff("chuyenvien.xa"))
    dossier_forward(actor=staff("chuyenvien.xa"), code=decided, assignee=staff("lanhdao.xa"))
    dossier_approve(actor=staff("lanhdao.xa"), code=decided, assignee=staff("vanthu.xa"))
    dossier_issue_result(actor=staff("vanthu.xa"), code=decided)
    dossier_return_result(actor=desk, code=decided, via=ReturnVia.ELECTRONIC)
    waiting = submit_online()
    dossier_receive(actor=desk, code=waiting)
    refused = submit_online()
    dossier_refuse(actor=desk, code=refused, reason="Sai thẩm quyền")
    return {"decided": decided, "waiting": waiting, "refused": refused}


def sign_in(browser: Any, url: str, username: str) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN", accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    return sign_in_staff(page, url, username)


def number(text: str) -> Decimal | None:
    """A figure as the Vietnamese page writes it ("1.234,5 %", "—") as a number."""
    text = text.replace("%", "").strip().split(" ")[0]
    if text in ("", "—"):
        return None
    return Decimal(text.replace(".", "").replace(",", "."))


def test_a_supervisor_follows_a_number_to_its_dossiers_and_downloads_the_workbook(
    browser: Any, demo_site: Any, tmp_path: Any
) -> None:
    codes = small_history()
    page = sign_in(browser, demo_site.url, "giamsat")
    try:
        page.locator("nav a[href='/can-bo/bao-cao/']").click()
        page.wait_for_selector("#report-scope")
        province = demo_agencies()["province"]
        assert province.code in page.locator("#report-scope").inner_text()  # the supervisor's top unit

        # The days around today, so that the history is inside the period whatever the day.
        today = timezone.localdate()
        page.locator("#id_period").select_option("range")
        page.locator("#id_from").fill((today - timedelta(days=1)).isoformat())
        page.locator("#id_to").fill((today + timedelta(days=1)).isoformat())
        page.locator("form.report-filters button[type=submit]").click()
        page.wait_for_url(re.compile(r"period=range"))
        received = page.locator("#card-received .kpi-value a")
        assert received.inner_text() == "2"
        assert "Đạt" in page.locator("#card-e_result_share .mark").inner_text()

        # The number opens the list of the dossiers it counts: as many rows.
        dashboard_url = page.url
        received.click()
        page.wait_for_selector("#dossiers")
        assert page.locator("#dossier-count").inner_text().startswith("2 ")
        rows = page.locator("#dossiers tbody tr")
        assert rows.count() == 2
        assert {rows.nth(i).locator("a.code").inner_text() for i in range(2)} == {codes["decided"], codes["waiting"]}

        # The workbook says what the page says.
        page.goto(dashboard_url)
        shown: dict[str, tuple[Decimal | None, str]] = {}
        table = page.locator("#indicators tbody tr")
        for i in range(table.count()):
            line = table.nth(i)
            cells = line.locator("td")
            shown[line.locator("th").inner_text().strip()] = (
                number(cells.nth(0).inner_text()),
                cells.nth(1).inner_text(),
            )
        assert len(shown) == 45  # 29, national sync 3, payments 5, feedback 3, ratings 2, queue 3
        with page.expect_download() as download:
            page.locator("#export-xlsx").click()
        path = tmp_path / "bao-cao.xlsx"
        download.value.save_as(path)
    finally:
        page.context.close()

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(path.read_bytes()), data_only=True)
    sheet = workbook["Chỉ tiêu"]
    header_row = next(r for r in range(1, 20) if sheet.cell(row=r, column=1).value == "Chỉ tiêu")
    exported = {}
    for row in sheet.iter_rows(min_row=header_row + 1, values_only=True):
        if row[0]:
            value = None if row[1] is None else Decimal(str(row[1]))
            fraction = "" if row[3] is None else f"{row[3]} / {row[4]}"
            exported[row[0]] = (value, fraction)
    assert {label: (value, ratio.strip()) for label, (value, ratio) in shown.items()} == exported
    with translation.override("vi"):
        assert exported[str(IndicatorKey.RECEIVED.label)] == (Decimal(2), "")
