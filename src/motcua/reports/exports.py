"""Exports of a unit's indicators: an XLSX workbook (one sheet per table) and a PDF report for the monthly
meeting (issue 7, item 5).

Both are Vietnamese documents handed to a meeting or filed, like the official books: their fixed wording
is Vietnamese here and in the template, and the indicators' names are read in Vietnamese whatever the
reader's language. Every figure comes from ``reports.indicators``, ``reports.scorecard`` and
``reports.trends``, so the files say what the dashboard says.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import translation

from motcua.catalog.models import Procedure, Sector
from motcua.core.xlsx_text import formulas_as_text
from motcua.reports.constants import Comparator, Unit
from motcua.reports.indicators import Indicator, IndicatorReport, Scope, _percent, indicators_for
from motcua.reports.scorecard import GroupScore, scorecard_for
from motcua.reports.trends import NO_DOSSIERS_LABEL, MonthPoint, RankRow, monthly_trend, unit_ranking

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
Progress = Callable[[int], None]

SHEET_INDICATORS = "Chỉ tiêu"
SHEET_SCORECARD = "Bảng điểm"
SHEET_TREND = "Theo tháng"
SHEET_RANKING = "Xếp hạng đơn vị"
NOT_MEASURED = "Chưa đo được"
MET: dict[bool | None, str] = {True: "Đạt", False: "Không đạt", None: ""}
COMPARATOR: dict[str, str] = {Comparator.AT_LEAST: "≥", Comparator.AT_MOST: "≤"}
UNIT: dict[str, str] = {
    Unit.COUNT: "hồ sơ",
    Unit.PERCENT: "%",
    Unit.PER_YEAR: "hồ sơ/cán bộ/năm",
    Unit.DOCUMENTS: "giấy tờ",
    Unit.VND: "đồng",
    Unit.MINUTES: "phút",
    Unit.FEEDBACK: "phản ánh, kiến nghị",
    Unit.RATINGS: "lượt đánh giá",
    Unit.TICKETS: "số thứ tự",
}
INDICATOR_COLUMNS = ["Chỉ tiêu", "Giá trị", "Đơn vị", "Tử số", "Mẫu số", "Mục tiêu", "Đánh giá"]
SCORECARD_COLUMNS = ["Nhóm, tiêu chí", "Điểm tối đa", "Tỷ lệ (%)", "Điểm đạt", "Ghi chú"]
TREND_COLUMNS = ["Tháng", "Tiếp nhận", "Trực tuyến", "Tỷ lệ trực tuyến (%)", "Đúng hạn, trước hạn", "Trễ hạn"]
RANKING_COLUMNS = [
    "Hạng",
    "Mã đơn vị",
    "Đơn vị",
    "Tiếp nhận",
    "Tỷ lệ trực tuyến (%)",
    "Tỷ lệ đúng hạn (%)",
    "Đang quá hạn",
    "Tỷ lệ chưa đến hạn hoặc đúng hạn (%)",
]


# ---------------------------------------------------------------------------------------------- texts


def local_time(moment: datetime) -> str:
    local = moment.astimezone(HCM)
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def period_text(scope: Scope) -> str:
    return f"Từ ngày {scope.start:%d/%m/%Y} đến ngày {scope.end:%d/%m/%Y}"


def filters_text(scope: Scope) -> str:
    """The sector and procedure the figures are limited to, in words."""
    parts = []
    if scope.sector_id is not None:
        sector = Sector.objects.filter(pk=scope.sector_id).values_list("name", flat=True).first()
        parts.append(f"Lĩnh vực: {sector}")
    if scope.procedure_id is not None:
        procedure = Procedure.objects.filter(pk=scope.procedure_id).values_list("code", "name").first()
        if procedure is not None:
            parts.append(f"Thủ tục: {procedure[0]} – {procedure[1]}")
    return "; ".join(parts) or "Tất cả lĩnh vực và thủ tục"


def header_lines(scope: Scope, *, filters_text: str, now: datetime) -> list[str]:
    agency = scope.agency
    return [
        f"Cơ quan, đơn vị: {agency.name} ({agency.code})",
        f"Kỳ báo cáo: {period_text(scope).lower()}",
        f"Phạm vi: {filters_text}",
        f"Lập lúc: {local_time(now)} (giờ Việt Nam)",
    ]


def whole_months(scope: Scope) -> bool:
    """Whether the period starts on a first and ends on a last day of a month (the monthly table then
    covers exactly the period)."""
    return scope.start.day == 1 and (scope.end.month != date.fromordinal(scope.end.toordinal() + 1).month)


def month_count(scope: Scope) -> int:
    return (scope.end.year - scope.start.year) * 12 + scope.end.month - scope.start.month + 1


def target_text(indicator: Indicator) -> str:
    if indicator.target is None:
        return ""
    return f"{COMPARATOR.get(indicator.comparator, '')} {vi_number(indicator.target)}".strip()


def vi_number(value: Decimal | int | None) -> str:
    """1234.5 → "1.234,5": Vietnamese separators (for the PDF; the workbook keeps numbers)."""
    if value is None:
        return "—"
    text = f"{value:,}" if isinstance(value, int) else f"{value:,f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


# ------------------------------------------------------------------------------------------ the figures


class Figures:
    """Everything an export shows, computed once: indicators, scorecard, monthly trend and ranking."""

    def __init__(self, scope: Scope, *, now: datetime, progress: Progress | None = None) -> None:
        step = progress or (lambda _pct: None)
        self.scope = scope
        self.report: IndicatorReport = indicators_for(scope, now=now)
        self.groups: list[GroupScore] = scorecard_for(self.report)
        step(20)
        self.months: list[MonthPoint] = monthly_trend(scope, month_count(scope))
        step(35)
        self.ranking: list[RankRow] = unit_ranking(scope, now=now, report=self.report)
        step(50)

    @property
    def measured_score(self) -> tuple[Decimal, Decimal]:
        """(points earned, points measured) over the groups that could be measured."""
        earned = sum((g.score for g in self.groups if g.score is not None), Decimal(0))
        measured = sum((g.measured_points for g in self.groups), Decimal(0))
        return earned, measured


# ------------------------------------------------------------------------------------------------ XLSX


def indicators_xlsx(scope: Scope, *, filters_text: str, now: datetime, progress: Progress | None = None) -> bytes:
    """The workbook: sheets "Chỉ tiêu", "Bảng điểm", "Theo tháng", "Xếp hạng đơn vị", each opening with
    the agency, the period, the filters and the time of generation. ``progress`` is told how far the
    work has gone (0–100)."""
    from openpyxl import Workbook  # imported here: only exports need it
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    step = progress or (lambda _pct: None)
    with translation.override("vi"):
        figures = Figures(scope, now=now, progress=step)
        workbook = Workbook()
        bold = Font(bold=True)
        header = header_lines(scope, filters_text=filters_text, now=now)

        def sheet(title: str, columns: list[str], widths: list[int], *, first: bool = False) -> Worksheet:
            ws = workbook.active if first else workbook.create_sheet()
            assert ws is not None
            ws.title = title
            ws.append([f"{title.upper()}"])
            ws["A1"].font = Font(bold=True, size=13)
            for line in header:
                ws.append([line])
            ws.append([])
            ws.append(columns)
            row = ws.max_row
            for index, width in enumerate(widths, start=1):
                ws.column_dimensions[get_column_letter(index)].width = width
                cell = ws.cell(row=row, column=index)
                cell.font = bold
                cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
            ws.freeze_panes = f"A{row + 1}"
            return ws

        ws = sheet(SHEET_INDICATORS, INDICATOR_COLUMNS, [52, 12, 18, 10, 10, 12, 12], first=True)
        for item in figures.report.indicators.values():
            ws.append(
                [
                    item.label,
                    item.value,
                    UNIT.get(item.unit, item.unit),
                    item.numerator,
                    item.denominator,
                    target_text(item),
                    MET[item.met],
                ]
            )
        step(60)

        ws = sheet(SHEET_SCORECARD, SCORECARD_COLUMNS, [64, 12, 12, 12, 30])
        for group in figures.groups:
            ws.append([group.name, group.max_points, None, group.score if group.measured else NOT_MEASURED, None])
            ws.cell(row=ws.max_row, column=1).font = bold
            if group.measured and group.unmeasured_points:
                ws.cell(row=ws.max_row, column=5).value = f"{vi_number(group.unmeasured_points)} điểm chưa đo được"
            for score in group.items:
                ws.append(
                    [
                        f"    {score.name}",
                        score.points,
                        score.value,
                        score.score if score.score is not None else NOT_MEASURED,
                        None if score.measured else "Chưa có số liệu",
                    ]
                )
        earned, measured = figures.measured_score
        ws.append(["Tổng điểm trên các nhóm đo được", measured, None, earned, None])
        ws.cell(row=ws.max_row, column=1).font = bold
        step(70)

        ws = sheet(SHEET_TREND, TREND_COLUMNS, [12, 12, 12, 14, 14, 12])
        for point in figures.months:
            ws.append(
                [
                    f"{point.month:%m/%Y}",
                    point.received,
                    point.online,
                    _percent(point.online, point.received),
                    point.finished_in_time,
                    point.finished_late,
                ]
            )
        if whole_months(scope):
            total = [sum(getattr(p, name) for p in figures.months) for name in ("received", "online")]
            in_time = sum(p.finished_in_time for p in figures.months)
            late = sum(p.finished_late for p in figures.months)
            ws.append(["Cộng", total[0], total[1], _percent(total[1], total[0]), in_time, late])
            ws.cell(row=ws.max_row, column=1).font = bold
        else:
            ws.append([])
            ws.append(["Số liệu theo tháng tính trọn tháng dương lịch, kể cả những ngày ngoài kỳ báo cáo."])
        step(80)

        ws = sheet(SHEET_RANKING, RANKING_COLUMNS, [7, 14, 40, 12, 14, 14, 12, 18])
        for row in figures.ranking:
            ws.append(
                [
                    row.rank if row.ranked else "—",
                    row.agency.code,
                    row.agency.name if row.ranked else f"{row.agency.name} ({NO_DOSSIERS_LABEL})",
                    row.received,
                    row.online_share,
                    row.on_time_share,
                    row.open_overdue,
                    row.timeliness,
                ]
            )
        if not figures.ranking:
            ws.append([None, None, "Đơn vị không có đơn vị trực thuộc."])
        step(90)

        out = io.BytesIO()
        formulas_as_text(workbook)
        workbook.save(out)
    return out.getvalue()


# ------------------------------------------------------------------------------------------------- PDF


def indicators_pdf(scope: Scope, *, filters_text: str, now: datetime, progress: Progress | None = None) -> bytes:
    """An A4 report for the monthly meeting: headline figures against their targets, the national
    scorecard, and the ranking of the sub-units."""
    step = progress or (lambda _pct: None)
    with translation.override("vi"):
        figures = Figures(scope, now=now, progress=step)
        earned, measured = figures.measured_score
        local = now.astimezone(HCM)
        rows = [
            {
                "label": item.label,
                "value": vi_number(item.value),
                "unit": UNIT.get(item.unit, item.unit),
                "fraction": (
                    f"{vi_number(item.numerator)}/{vi_number(item.denominator)}"
                    if item.numerator is not None and item.denominator is not None and item.unit == Unit.PERCENT
                    else ""
                ),
                "target": target_text(item),
                "met": item.met,
                "mark": MET[item.met],
            }
            for item in figures.report.indicators.values()
        ]
        html = render_to_string(
            "reports/meeting_report.html",
            {
                "agency": scope.agency,
                "title_period": period_text(scope),
                "filters": filters_text,
                "generated": local_time(now),
                "issued_on": f"ngày {local:%d} tháng {local:%m} năm {local:%Y}",
                "rows": rows,
                "groups": [_group_view(group) for group in figures.groups],
                "earned": vi_number(earned),
                "measured": vi_number(measured),
                "ranking": [
                    {
                        "rank": row.rank if row.ranked else "—",
                        "code": row.agency.code,
                        "name": row.agency.name,
                        "no_dossiers": NO_DOSSIERS_LABEL if not row.ranked else "",
                        "received": vi_number(row.received),
                        "online_share": vi_number(row.online_share),
                        "on_time_share": vi_number(row.on_time_share),
                        "open_overdue": vi_number(row.open_overdue),
                        "timeliness": vi_number(row.timeliness),
                    }
                    for row in figures.ranking
                ],
                "not_measured": NOT_MEASURED,
            },
        )
        step(60)
        from weasyprint import HTML  # imported here: loading Pango takes a moment only reports should pay

        pdf: bytes = HTML(string=html).write_pdf()
        step(90)
    return pdf


def _group_view(group: GroupScore) -> dict[str, Any]:
    return {
        "name": group.name,
        "max_points": vi_number(group.max_points),
        "score": vi_number(group.score) if group.measured else NOT_MEASURED,
        "unmeasured": vi_number(group.unmeasured_points) if group.measured and group.unmeasured_points else "",
        "items": [
            {
                "name": item.name,
                "points": vi_number(item.points),
                "value": vi_number(item.value) if item.value is not None else "",
                "score": vi_number(item.score) if item.score is not None else NOT_MEASURED,
            }
            for item in group.items
        ],
    }


EXPORTERS: dict[str, Callable[..., bytes]] = {"xlsx": indicators_xlsx, "pdf": indicators_pdf}
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def export_filename(scope: Scope, fmt: str) -> str:
    return f"bao-cao-{scope.agency.code}-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.{fmt}"
