"""Exports of the hand-checked history: the workbook's sheets and totals, the meeting PDF's text, and the
background export (request, task, progress, failure, idempotence)."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from motcua.identity.constants import Role
from motcua.reports.constants import IndicatorKey as K
from motcua.reports.export_services import report_export_request, report_export_run
from motcua.reports.exports import filters_text, indicators_pdf, indicators_xlsx
from motcua.reports.indicators import Scope, indicators_for
from motcua.reports.models import ReportExport
from motcua.reports.scope_query import ReportAgencyForbidden
from tests.factories import make_staff, row_counts
from tests.intake import HCM
from tests.reports import small_history

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
NOW = datetime(2026, 3, 11, 10, 0, tzinfo=HCM)
HEADER = [
    ["CHỈ TIÊU"],
    ["Cơ quan, đơn vị: Tỉnh Thử (H99)"],
    ["Kỳ báo cáo: từ ngày 01/03/2026 đến ngày 31/03/2026"],
    ["Phạm vi: Tất cả lĩnh vực và thủ tục"],
    ["Lập lúc: 10:00 ngày 11/03/2026 (giờ Việt Nam)"],
]


@pytest.fixture
def history(province, people, settings, tmp_path, monday_morning):
    return small_history(province, people, settings, tmp_path, monday_morning)


def rows_of(sheet: Any) -> list[list[Any]]:
    return [[value for value in row if value is not None] for row in sheet.iter_rows(values_only=True)]


def workbook(scope: Scope) -> Any:
    return load_workbook(io.BytesIO(indicators_xlsx(scope, filters_text=filters_text(scope), now=NOW)))


def test_the_workbook_has_one_sheet_per_table_each_with_its_header(history) -> None:
    book = workbook(Scope(history["province"], *MARCH))
    assert book.sheetnames == ["Chỉ tiêu", "Bảng điểm", "Theo tháng", "Xếp hạng đơn vị"]
    for name in book.sheetnames:
        rows = rows_of(book[name])
        assert rows[:5] == [[name.upper()], *HEADER[1:]]
        assert rows[5] == []


def test_the_indicators_sheet_equals_the_indicators(history) -> None:
    scope = Scope(history["province"], *MARCH)
    report = indicators_for(scope, now=NOW)
    rows = rows_of(workbook(scope)["Chỉ tiêu"])
    assert rows[6] == ["Chỉ tiêu", "Giá trị", "Đơn vị", "Tử số", "Mẫu số", "Mục tiêu", "Đánh giá"]
    table = {row[0]: row for row in book_rows(workbook(scope)["Chỉ tiêu"])}
    assert (
        len(table) == len(report.indicators) == 45
    )  # 32, 5 payment indicators (issue 16), 8 of feedback, ratings, queue (issue 17)
    for item in report.indicators.values():
        _label, value, _unit, numerator, denominator, _target, _mark = table[str(item.label)]
        assert (value, numerator, denominator) == (
            None if item.value is None else float(item.value),
            item.numerator,
            item.denominator,
        )
    assert table[str(report[K.RECEIVED].label)][1:3] == [4, "hồ sơ"]
    assert table[str(report[K.ONLINE_SHARE].label)][1:] == [75, "%", 3, 4, "≥ 60,00", "Đạt"]
    assert table[str(report[K.DIGITIZED_SHARE].label)][5:] == ["≥ 100,00", "Không đạt"]
    assert table[str(report[K.APOLOGIES].label)][5:] == [None, None]  # no target, no mark


def book_rows(sheet: Any) -> list[list[Any]]:
    """The table's rows (after the header lines and the column titles), cells kept in place."""
    return [list(row) for row in sheet.iter_rows(min_row=8, values_only=True)]


def test_the_scorecard_sheet_says_not_measured_never_zero(history) -> None:
    rows = book_rows(workbook(Scope(history["commune_a"], *MARCH))["Bảng điểm"])
    groups = {row[0]: row[1:4] for row in rows if not row[0].startswith(" ")}
    assert groups == {
        "Công khai, minh bạch": [18, None, "Chưa đo được"],
        "Tiến độ, kết quả giải quyết": [20, None, 10],
        "Cung cấp dịch vụ trực tuyến": [12, None, 8.67],
        "Thanh toán trực tuyến": [10, None, "Chưa đo được"],
        "Mức độ hài lòng": [18, None, "Chưa đo được"],
        "Số hóa hồ sơ, kết quả": [22, None, 14.5],
        "Tổng điểm trên các nhóm đo được": [54, None, 33.17],  # 20 + 12 + 22 measured points
    }
    timeliness = next(row for row in rows if row[0].strip().startswith("Hồ sơ chưa đến hạn"))
    assert timeliness[1:] == [20, 50, 10, None]
    payment = next(row for row in rows if row[0].strip().startswith("Tỷ lệ TTHC có giao dịch thanh toán"))
    # Measured since issue 16, but no fee-bearing dossier in the history: not measured, never 0.
    assert payment[1:] == [5, None, "Chưa đo được", None]
    reuse = next(row for row in rows if row[0].strip().startswith("Tỷ lệ khai thác"))
    assert reuse[1:] == [7, 0, 0, None]  # measured since issue 14: nothing reused is 0 points


def test_the_monthly_and_ranking_sheets_add_up_to_the_indicators(history) -> None:
    scope = Scope(history["province"], *MARCH)
    book = workbook(scope)
    assert book_rows(book["Theo tháng"]) == [["03/2026", 4, 3, 75, 1, 0], ["Cộng", 4, 3, 75, 1, 0]]
    ranking = book_rows(book["Xếp hạng đơn vị"])
    assert ranking == [
        [1, "H99.101", "Xã An", 4, 75, 100, 1, 50],
        ["—", "H99.01", "Sở Tư pháp (chưa có hồ sơ trong kỳ)", 0, None, None, 0, None],
        ["—", "H99.102", "Xã Bình (chưa có hồ sơ trong kỳ)", 0, None, None, 0, None],
    ]
    assert sum(row[3] for row in ranking) == indicators_for(scope, now=NOW)[K.RECEIVED].value


def test_a_period_of_a_part_of_a_month_warns_instead_of_adding_whole_months(history) -> None:
    scope = Scope(history["commune_a"], date(2026, 2, 15), date(2026, 3, 10))
    rows = book_rows(workbook(scope)["Theo tháng"])
    assert rows[:2] == [["02/2026", 0, 0, None, 0, 0], ["03/2026", 4, 3, 75, 1, 0]]
    assert rows[3][0].startswith("Số liệu theo tháng tính trọn tháng")
    assert rows_of(workbook(scope)["Xếp hạng đơn vị"])[7] == ["Đơn vị không có đơn vị trực thuộc."]


def test_filters_are_written_in_words(history) -> None:
    from motcua.catalog.models import Procedure

    birth = Procedure.objects.get(code="1.001193")
    scope = Scope(history["commune_a"], *MARCH, sector_id=birth.sector_id, procedure_id=birth.pk)
    assert filters_text(scope) == f"Lĩnh vực: {birth.sector.name}; Thủ tục: 1.001193 – {birth.name}"


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_meeting_report_pdf(history) -> None:
    scope = Scope(history["province"], *MARCH)
    data = indicators_pdf(scope, filters_text=filters_text(scope), now=NOW)
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    for expected in [
        "BÁO CÁO KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        "Từ ngày 01/03/2026 đến ngày 31/03/2026",
        "Phạm vi: Tất cả lĩnh vực và thủ tục",
        "10:00 ngày 11/03/2026",
        "I. Các chỉ tiêu chính so với mục tiêu",
        "75,00",  # online share
        "≥ 60,00",
        "Không đạt",  # digitized share 75 % < 100 %
        "II. Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)",
        "Chưa đo được",
        "III. Xếp hạng các đơn vị trực thuộc",
        "Xã An (H99.101)",
        "— Xã Bình (H99.102) – chưa có\nhồ sơ trong kỳ",  # no rank (the cell wraps)
    ]:
        assert expected in text, expected


# ----------------------------------------------------------------------------------- background exports


@pytest.fixture
def supervisor(history):
    return make_staff(Role.SUPERVISOR, history["province"], include_subagencies=True)


def test_a_requested_export_is_built_by_the_task_after_the_commit(
    history, supervisor, django_capture_on_commit_callbacks
) -> None:
    scope = Scope(history["province"], date(2026, 1, 1), date(2026, 6, 30))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        export = report_export_request(actor=supervisor, scope=scope, fmt="xlsx")
    export.refresh_from_db()
    assert (export.status, export.progress, bool(export.file), len(callbacks)) == ("pending", 0, False, 1)
    callbacks[0]()  # the commit: the immediate backend of the tests runs the task at once
    export.refresh_from_db()
    assert (export.status, export.progress, export.error) == ("done", 100, "")
    assert export.finished_at is not None
    assert export.file.name.startswith("reports/2026/03/") and export.file.name.endswith(".xlsx")
    with export.file.open("rb") as handle:
        book = load_workbook(handle)
    assert rows_of(book["Chỉ tiêu"])[2] == ["Kỳ báo cáo: từ ngày 01/01/2026 đến ngày 30/06/2026"]


def test_progress_is_written_as_the_file_is_built(history, supervisor, monkeypatch) -> None:
    seen: list[tuple[str, int]] = []
    export = ReportExport.objects.create(
        requested_by=supervisor, agency=history["province"], start=MARCH[0], end=MARCH[1], format="pdf"
    )
    import motcua.reports.export_services as services

    original = services._set_progress

    def spy(export_id: int, percent: int) -> None:
        original(export_id, percent)
        row = ReportExport.objects.get(pk=export_id)
        seen.append((row.status, row.progress))

    monkeypatch.setattr(services, "_set_progress", spy)
    report_export_run(export_id=export.pk)
    assert seen == [("running", 20), ("running", 35), ("running", 50), ("running", 60), ("running", 90)]
    export.refresh_from_db()
    assert (export.status, export.progress) == ("done", 100)
    with export.file.open("rb") as handle:
        assert "BÁO CÁO KẾT QUẢ" in pdf_text(handle.read())


def test_running_a_done_export_again_changes_nothing(history, supervisor) -> None:
    export = ReportExport.objects.create(
        requested_by=supervisor, agency=history["province"], start=MARCH[0], end=MARCH[1], format="xlsx"
    )
    report_export_run(export_id=export.pk)
    export.refresh_from_db()
    name, finished = export.file.name, export.finished_at
    report_export_run(export_id=export.pk)
    export.refresh_from_db()
    assert (export.file.name, export.finished_at, export.status) == (name, finished, "done")
    assert report_export_run(export_id=999999) is None


def test_a_failing_export_is_marked_failed_with_its_error(history, supervisor, monkeypatch) -> None:
    import motcua.reports.export_services as services

    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("disk full")

    monkeypatch.setitem(services.EXPORTERS, "xlsx", broken)
    export = ReportExport.objects.create(
        requested_by=supervisor, agency=history["province"], start=MARCH[0], end=MARCH[1], format="xlsx"
    )
    report_export_run(export_id=export.pk)
    export.refresh_from_db()
    assert (export.status, export.error, bool(export.file)) == ("failed", "RuntimeError: disk full", False)
    assert export.finished_at == NOW


def test_an_export_of_an_agency_outside_the_actors_is_refused_and_writes_nothing(history) -> None:
    commune_leader = make_staff(Role.UNIT_LEADER, history["commune_b"])
    before = row_counts()
    with pytest.raises(ReportAgencyForbidden):
        report_export_request(actor=commune_leader, scope=Scope(history["commune_a"], *MARCH), fmt="pdf")
    assert (row_counts(), ReportExport.objects.count()) == (before, 0)


def test_decimal_values_survive_the_workbook(history) -> None:
    table = {row[0]: row for row in book_rows(workbook(Scope(history["commune_a"], *MARCH))["Chỉ tiêu"])}
    report = indicators_for(Scope(history["commune_a"], *MARCH), now=NOW)
    assert Decimal(str(table[str(report[K.ONLINE_PROCEDURES_OFFERED].label)][1])) == Decimal("66.67")
