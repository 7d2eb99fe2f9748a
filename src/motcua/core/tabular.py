"""Read uploaded tables (CSV or XLSX) into rows of text, numbered as a person sees them in the file."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _

from motcua.core.exceptions import ValidationFailed

MAX_ROWS = 50_000


@dataclass(frozen=True)
class Row:
    number: int  # 1-based line in the file, header included, as a spreadsheet shows it
    values: dict[str, str]


def _clean(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _rows(header: Iterable[Any], body: Iterable[tuple[Any, ...]]) -> list[Row]:
    keys = [_clean(h).lower() for h in header]
    rows = []
    for offset, raw in enumerate(body, start=2):
        values = {key: _clean(cell) for key, cell in zip(keys, raw, strict=False) if key}
        if any(values.values()):
            rows.append(Row(number=offset, values=values))
        if len(rows) > MAX_ROWS:
            raise ValidationFailed(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS}, code="file_too_large")
    return rows


def read_csv(data: bytes) -> list[Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(_("The CSV file must be encoded in UTF-8."), code="bad_encoding") from exc
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    return _rows(header, (tuple(r) for r in reader))


def read_xlsx_sheets(stream: IO[bytes]) -> dict[str, list[Row]]:
    from openpyxl import load_workbook  # imported here: only imports need it

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:
        raise ValidationFailed(_("The file is not a valid XLSX workbook."), code="bad_file") from exc
    sheets = {}
    for sheet in workbook.worksheets:
        iterator = sheet.iter_rows(values_only=True)
        header = next(iterator, ())
        sheets[sheet.title.strip().lower()] = _rows(header, iterator)
    workbook.close()
    return sheets


def read_table(name: str, data: bytes) -> list[Row]:
    """Rows of a CSV file or of the first sheet of an XLSX file, chosen by the file's content."""
    if data[:2] == b"PK":  # XLSX is a zip archive
        sheets = read_xlsx_sheets(io.BytesIO(data))
        return next(iter(sheets.values()), [])
    if name.lower().endswith((".csv", ".txt")) or b"," in data[:4096]:
        return read_csv(data)
    raise ValidationFailed(_("Upload a CSV or XLSX file."), code="bad_file")
