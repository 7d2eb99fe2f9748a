"""The certification book (Sổ chứng thực bản sao từ bản chính, Nghị định 23/2015/NĐ-CP art. 13, Thông tư
01/2020/TT-BTP) of an agency and year: its entries as rows, and as an XLSX workbook like the tracking book.
Reads only."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from motcua.core.xlsx_text import is_risky, text_cells
from motcua.documents.models import Certification, CertificationBook
from motcua.dossiers.slips import local, time_and_date

BOOK_COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 6),
    ("Số chứng thực", 10),
    ("Ngày, tháng, năm chứng thực", 16),
    ("Họ tên người yêu cầu chứng thực", 26),
    ("Số giấy tờ tùy thân / mã số doanh nghiệp", 18),
    ("Tên giấy tờ, văn bản được chứng thực", 36),
    ("Số trang / số bản", 12),
    ("Lệ phí (đồng)", 12),
    ("Người thực hiện chứng thực", 26),
    ("Mã hồ sơ", 22),
    ("Ký nhận", 14),
)
BOOK_HEADER_ROW = 6
DATE_FORMAT = "dd/mm/yyyy"


@dataclass(frozen=True)
class BookRow:
    index: int
    number: int
    certified_at: datetime
    requester: str
    id_number: str
    document: str
    pages: int
    copies: int
    fee: int
    certifier: str
    certifier_title: str
    dossier_code: str

    @property
    def fee_text(self) -> str:
        return f"{self.fee:,}".replace(",", ".")

    @property
    def pages_and_copies(self) -> str:
        return f"{self.pages} trang / {self.copies} bản"

    def values(self) -> list[Any]:
        return [
            self.index,
            self.number,
            local(self.certified_at).date(),
            self.requester,
            self.id_number,
            self.document,
            self.pages_and_copies,
            self.fee,
            f"{self.certifier} ({self.certifier_title})",
            self.dossier_code,
            None,
        ]


def book_of(*, agency: Any, year: int) -> CertificationBook | None:
    return CertificationBook.objects.filter(agency=agency, year=year).first()


def book_rows(book: CertificationBook | None) -> list[BookRow]:
    """The book's entries in number order (one query)."""
    if book is None:
        return []
    entries = Certification.objects.filter(book=book).select_related("dossier").order_by("number")
    return [
        BookRow(
            index=index,
            number=entry.number,
            certified_at=entry.certified_at,
            requester=entry.requester_name,
            id_number=entry.requester_id_number,
            document=entry.document_name,
            pages=entry.pages,
            copies=entry.copies,
            fee=entry.fee,
            certifier=entry.certifier_name,
            certifier_title=entry.certifier_title,
            dossier_code=entry.dossier.code,
        )
        for index, entry in enumerate(entries, start=1)
    ]


def certification_book_xlsx(*, agency: Any, year: int, now: datetime | None = None) -> bytes:
    """The agency's book for ``year`` as an XLSX workbook: whose book, its volume, one row per entry, the
    totals; texts typed by people stay text (``core.xlsx_text``)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from motcua.documents.certification import volume_label

    now = now or timezone.now()
    book = book_of(agency=agency, year=year)
    rows = book_rows(book)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sổ chứng thực bản sao")
    for index, (_title, width) in enumerate(BOOK_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{BOOK_HEADER_ROW + 1}"
    sheet.page_setup.orientation = "landscape"
    bold = Font(bold=True)

    def text(value: str, *, strong: bool = False) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value) if not is_risky(value) else text_cells(sheet, [value])[0]
        if strong:
            cell.font = bold
        return cell

    def date_cell(value: Any) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet)
        cell.number_format = DATE_FORMAT
        cell.value = value
        return cell

    sheet.append([text(agency.name.upper(), strong=True)])
    sheet.append([text("SỔ CHỨNG THỰC BẢN SAO TỪ BẢN CHÍNH", strong=True)])
    sheet.append([f"Quyển số: {book.volume if book is not None else volume_label(year)}"])
    sheet.append([f"Lập lúc {time_and_date(now)}"])
    sheet.append([])
    header = []
    for title, _width in BOOK_COLUMNS:
        cell = text(title, strong=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        header.append(cell)
    sheet.append(header)
    for row in rows:
        values = row.values()
        values[2] = date_cell(values[2])
        sheet.append(text_cells(sheet, values))
    sheet.append([])
    total = sum(row.fee for row in rows)
    sheet.append([text(f"Tổng số: {len(rows)} việc chứng thực; lệ phí {total:,} đồng".replace(",", "."), strong=True)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
