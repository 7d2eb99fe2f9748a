"""Reading a provider's statement file (CSV, or XLSX): the columns of each provider in one place, every line
checked; a file with any bad line is refused whole, line by line, and nothing is stored.

A statement lists what the provider collected for the unit's merchant account in a period: per transaction
our transaction reference (the one sent in the payment's INIT message), the provider's own transaction id,
the amount, the currency, when it was paid and its status (DOMAIN.md §9)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

FIELDS = ("transaction_ref", "provider_transaction", "amount", "currency", "paid_at", "status")


@dataclass(frozen=True)
class StatementFormat:
    """A provider's statement: the header of each of our fields, how it writes the time, which statuses
    mean the money was collected."""

    name: str
    columns: dict[str, str]
    time_formats: tuple[str, ...]
    success: tuple[str, ...]


# The one place the providers' columns are defined. The national payment platform's statement uses its
# message's names (callback success code "00", time yyyyMMddHHmmss); the sandbox provider plain names.
FORMATS: dict[str, StatementFormat] = {
    "national": StatementFormat(
        name="Nền tảng thanh toán quốc gia",
        columns={
            "transaction_ref": "MaThamChieu",
            "provider_transaction": "MaGiaoDich",
            "amount": "SoTien",
            "currency": "LoaiTien",
            "paid_at": "ThoiGianThanhToan",
            "status": "MaKetQua",
        },
        time_formats=("%Y%m%d%H%M%S",),
        success=("00",),
    ),
    "sandbox": StatementFormat(
        name="Sandbox",
        columns={
            "transaction_ref": "transaction_ref",
            "provider_transaction": "provider_transaction_id",
            "amount": "amount",
            "currency": "currency",
            "paid_at": "paid_at",
            "status": "status",
        },
        time_formats=("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"),
        success=("success",),
    ),
}
MAX_LINES = 100_000


@dataclass(frozen=True)
class ParsedLine:
    row: int  # the line in the file (the header is line 1)
    transaction_ref: str
    provider_transaction: str
    amount: int
    currency: str
    paid_at: datetime
    status: str
    success: bool


@dataclass
class ParsedStatement:
    lines: list[ParsedLine] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # in the user's language, one per bad line or cell


def _rows(content: bytes, file_name: str) -> list[list[str]]:
    if file_name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = [["" if cell is None else _cell_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
        return rows
    text = content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _cell_text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _time(text: str, formats: tuple[str, ...]) -> datetime | None:
    for pattern in formats:
        try:
            return timezone.make_aware(datetime.strptime(text, pattern))
        except ValueError:
            continue
    return None


def parse_statement(content: bytes, file_name: str, provider: str) -> ParsedStatement:
    """Every line of the file checked against the provider's format; ``errors`` says what is wrong with each
    bad line (empty when the whole file can be used)."""
    parsed = ParsedStatement()
    spec = FORMATS[provider]
    try:
        rows = _rows(content, file_name)
    except Exception:  # noqa: BLE001 — any unreadable file gets the same answer
        parsed.errors.append(_("The file cannot be read: send the provider's statement as CSV (UTF-8) or XLSX."))
        return parsed
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        parsed.errors.append(_("The file is empty."))
        return parsed
    header = [cell.strip() for cell in rows[0]]
    missing = [name for name in spec.columns.values() if name not in header]
    if missing:
        parsed.errors.append(
            _("Line 1: the columns %(columns)s are missing (expected: %(expected)s).")
            % {"columns": ", ".join(missing), "expected": ", ".join(spec.columns.values())}
        )
        return parsed
    if len(rows) - 1 > MAX_LINES:
        parsed.errors.append(_("The file has more than %(max)d lines: split the period.") % {"max": MAX_LINES})
        return parsed
    where = {name: header.index(column) for name, column in spec.columns.items()}
    for number, row in enumerate(rows[1:], start=2):
        cells = {name: (row[index].strip() if index < len(row) else "") for name, index in where.items()}
        problems = []
        if not cells["transaction_ref"]:
            problems.append(_("the transaction reference is empty"))
        amount = None
        if cells["amount"].isdigit() and int(cells["amount"]) > 0:
            amount = int(cells["amount"])
        else:
            problems.append(_("the amount “%(value)s” is not a whole number of đồng") % {"value": cells["amount"]})
        if not cells["currency"]:
            problems.append(_("the currency is empty"))
        paid_at = _time(cells["paid_at"], spec.time_formats)
        if paid_at is None:
            problems.append(_("the payment time “%(value)s” is not a time") % {"value": cells["paid_at"]})
        if not cells["status"]:
            problems.append(_("the status is empty"))
        if problems:
            parsed.errors.append(_("Line %(row)d: %(problems)s.") % {"row": number, "problems": "; ".join(problems)})
            continue
        assert amount is not None and paid_at is not None
        parsed.lines.append(
            ParsedLine(
                row=number,
                transaction_ref=cells["transaction_ref"],
                provider_transaction=cells["provider_transaction"],
                amount=amount,
                currency=cells["currency"].upper(),
                paid_at=paid_at,
                status=cells["status"],
                success=cells["status"] in spec.success,
            )
        )
    if not parsed.lines and not parsed.errors:
        parsed.errors.append(_("The file has no line after its header."))
    return parsed
