"""Exports of the indicators from the back office: at once for short periods, as a job with a progress page
for long ones; scoped to the viewer's units and, for jobs, to their requester."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from motcua.identity.constants import Role
from motcua.reports.constants import IndicatorKey as K
from motcua.reports.indicators import Scope, indicators_for
from motcua.reports.models import ReportExport
from tests.factories import make_staff
from tests.reports import small_history

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_URL = "/can-bo/bao-cao/xuat/"
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}
HALF_YEAR = {"from": "2026-01-01", "to": "2026-06-30"}  # 181 days: a background job


@pytest.fixture
def history(province, people, settings, tmp_path, monday_morning):
    return small_history(province, people, settings, tmp_path, monday_morning)


@pytest.fixture
def supervisor(history) -> Any:
    return make_staff(Role.SUPERVISOR, history["province"], include_subagencies=True)


def test_urls() -> None:
    assert reverse("backoffice:report-export") == EXPORT_URL
    assert reverse("backoffice:report-export-status", kwargs={"export_id": 7}) == "/can-bo/bao-cao/xuat/7/"
    assert reverse("backoffice:report-export-download", kwargs={"export_id": 7}) == "/can-bo/bao-cao/xuat/7/tai-ve/"


def test_the_form_offers_the_viewers_units(client, supervisor) -> None:
    client.force_login(supervisor)
    response = client.get(EXPORT_URL)
    assert response.status_code == 200
    html = response.content.decode()
    for code in ("H99", "H99.01", "H99.01.01", "H99.101", "H99.102"):
        assert f'<option value="{code}"' in html
    assert 'name="from"' in html and 'name="format"' in html


def test_a_short_period_downloads_at_once_and_its_totals_match(client, history, supervisor) -> None:
    client.force_login(supervisor)
    response = client.post(EXPORT_URL, {"agency": "H99", **MARCH, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-H99-20260301-20260331.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    received = indicators_for(Scope(history["province"], *map(date.fromisoformat, MARCH.values())))[K.RECEIVED]
    row = next(r for r in book["Chỉ tiêu"].iter_rows(min_row=8, values_only=True) if r[0] == str(received.label))
    assert row[1] == received.value == 4
    assert ReportExport.objects.count() == 0


def test_the_format_defaults_to_xlsx_and_the_pdf_is_offered(client, supervisor) -> None:
    client.force_login(supervisor)
    assert client.post(EXPORT_URL, {"agency": "H99.101", **MARCH})["Content-Type"] == XLSX
    pdf = client.post(EXPORT_URL, {"agency": "H99.101", **MARCH, "format": "pdf"})
    assert (pdf["Content-Type"], pdf.content[:5]) == ("application/pdf", b"%PDF-")


def test_a_long_period_becomes_a_job_and_its_file_is_downloaded_when_ready(
    client, supervisor, django_capture_on_commit_callbacks
) -> None:
    client.force_login(supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(EXPORT_URL, {"agency": "H99", **HALF_YEAR, "format": "xlsx"})
    export = ReportExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/can-bo/bao-cao/xuat/{export.pk}/"
    assert (export.requested_by, export.agency.code, str(export.start), str(export.end), export.format) == (
        supervisor,
        "H99",
        "2026-01-01",
        "2026-06-30",
        "xlsx",
    )
    assert (export.status, export.progress) == ("done", 100)  # the test settings run tasks at once
    page = client.get(response["Location"])
    html = page.content.decode()
    download = f"/can-bo/bao-cao/xuat/{export.pk}/tai-ve/"
    assert page.status_code == 200 and download in html
    assert 'http-equiv="refresh"' not in html
    file = client.get(download)
    assert file.status_code == 200
    assert file["Content-Type"] == XLSX
    assert file["Content-Disposition"] == 'attachment; filename="bao-cao-H99-20260101-20260630.xlsx"'
    book = load_workbook(io.BytesIO(b"".join(file.streaming_content)))
    assert book.sheetnames == ["Chỉ tiêu", "Bảng điểm", "Theo tháng", "Xếp hạng đơn vị"]


def test_the_job_page_refreshes_and_shows_progress_until_ready(client, history, supervisor) -> None:
    export = ReportExport.objects.create(
        requested_by=supervisor,
        agency=history["province"],
        start=date.fromisoformat("2026-01-01"),
        end=date.fromisoformat("2026-06-30"),
        format="pdf",
        status="running",
        progress=35,
    )
    client.force_login(supervisor)
    url = reverse("backoffice:report-export-status", kwargs={"export_id": export.pk})
    html = client.get(url).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert '<progress id="export-progress" max="100" value="35">' in html
    assert "tai-ve" not in html
    # nothing to download yet
    assert client.get(reverse("backoffice:report-export-download", kwargs={"export_id": export.pk})).status_code == 404
    ReportExport.objects.filter(pk=export.pk).update(status="failed", error="RuntimeError: disk full")
    html = client.get(url).content.decode()
    assert 'http-equiv="refresh"' not in html
    assert "disk full" not in html  # the error is for administrators, not shown on the page
    assert 'role="alert"' in html


def test_a_job_is_its_requesters_only(client, history, supervisor, django_capture_on_commit_callbacks) -> None:
    client.force_login(supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(EXPORT_URL, {"agency": "H99", **HALF_YEAR, "format": "pdf"})
    export = ReportExport.objects.get()
    other = make_staff(Role.SUPERVISOR, history["province"], include_subagencies=True)
    client.force_login(other)
    for name in ("backoffice:report-export-status", "backoffice:report-export-download"):
        assert client.get(reverse(name, kwargs={"export_id": export.pk})).status_code == 404


def test_an_agency_outside_the_viewers_units_is_forbidden_and_creates_nothing(client, history) -> None:
    client.force_login(make_staff(Role.UNIT_LEADER, history["commune_b"]))
    for period in (MARCH, HALF_YEAR):
        assert client.post(EXPORT_URL, {"agency": "H99.101", **period}).status_code == 403
    assert ReportExport.objects.count() == 0
    assert client.post(EXPORT_URL, {"agency": "H99.102", **MARCH}).status_code == 200


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"agency": "H99.101", "from": "2026-03-31", "to": "2026-03-01"},
            "The end of the period must not be before its start.",
        ),
        ({"agency": "H99.101", "from": "2020-01-01", "to": "2026-03-01"}, "A report covers at most 5 years"),
        ({"agency": "X99", **MARCH}, "No active agency has the code “X99”."),
        ({"agency": "H99.101", **MARCH, "procedure": "9.999999"}, "No procedure has the code “9.999999”."),
        ({"agency": "H99.101", **MARCH, "format": "docx"}, "Select a valid choice."),
    ],
)
def test_bad_filters_show_the_form_with_errors_and_create_nothing(client, supervisor, params, message) -> None:
    client.force_login(supervisor)
    response = client.post(EXPORT_URL, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ReportExport.objects.count() == 0


def test_the_threshold_is_a_setting(client, supervisor, settings, django_capture_on_commit_callbacks) -> None:
    settings.MOTCUA_EXPORT_SYNC_DAYS = 30
    client.force_login(supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(EXPORT_URL, {"agency": "H99", **MARCH})  # 31 days
    assert response.status_code == 302
    assert ReportExport.objects.get().status == "done"


def test_gets_show_the_form_and_start_nothing_a_post_starts_one_job(
    client, supervisor, django_capture_on_commit_callbacks
) -> None:
    client.force_login(supervisor)
    params = {"agency": "H99", **HALF_YEAR, "format": "pdf"}

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first, second = client.get(EXPORT_URL, params), client.get(EXPORT_URL, params)
    assert (first.status_code, second.status_code) == (200, 200)
    assert (ReportExport.objects.count(), len(callbacks)) == (0, 0)
    html = first.content.decode()
    assert '<form method="post"' in html and 'name="csrfmiddlewaretoken"' in html
    assert 'value="2026-01-01"' in html and 'value="2026-06-30"' in html  # the dashboard's filters, prefilled
    assert '<option value="H99" selected>' in html

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(EXPORT_URL, params)
    export = ReportExport.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/can-bo/bao-cao/xuat/{export.pk}/")
    assert len(callbacks) == 1
    # Following the redirect, and reloading the progress page, start nothing more.
    client.get(response["Location"])
    client.get(response["Location"])
    assert ReportExport.objects.count() == 1


def test_a_get_of_a_short_period_does_not_download(client, supervisor) -> None:
    client.force_login(supervisor)
    response = client.get(EXPORT_URL, {"agency": "H99.101", **MARCH, "format": "xlsx"})
    assert (response.status_code, response["Content-Type"].split(";")[0]) == (200, "text/html")
    assert ReportExport.objects.count() == 0


def test_the_dashboards_export_buttons_post_the_filters(client, history, supervisor) -> None:
    client.force_login(supervisor)
    html = client.get(reverse("backoffice:dashboard"), {"agency": "H99", **MARCH}).content.decode()
    form = html[html.index(f'<form method="post" action="{EXPORT_URL}"') :]
    form = form[: form.index("</form>")]
    for name, value in (("agency", "H99"), ("from", "2026-03-01"), ("to", "2026-03-31")):
        assert f'<input type="hidden" name="{name}" value="{value}">' in form
    assert 'id="export-xlsx" name="format" value="xlsx"' in form and 'id="export-pdf" name="format" value="pdf"' in form
    assert "?agency=" not in html.split("export-xlsx")[0][-300:]  # no export link to follow
    assert ReportExport.objects.count() == 0
