"""Text written to an XLSX export stays text: a value such as ``=HYPERLINK(...)`` typed by a citizen must
never become a live formula in an officer's spreadsheet (formula injection).

openpyxl turns any string that starts with ``=`` into a formula. A text cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return is written as a string cell with Excel's "quote prefix"
(the leading apostrophe that is not part of the text): Excel and LibreOffice show the text as it was
typed, and editing the cell does not turn it into a formula either.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(RISKY_STARTS)


def _as_text(cell: Any, value: str) -> Any:
    cell.value = value
    cell.data_type = "s"  # after the value: openpyxl sets "f" for a leading "="
    cell.quotePrefix = True
    return cell


def text_cells(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """A row for ``sheet.append``: risky texts become text cells, other values pass unchanged (use it
    for write-only sheets, where cells cannot be changed once appended)."""
    from openpyxl.cell import Cell, WriteOnlyCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    make = WriteOnlyCell if isinstance(sheet, WriteOnlyWorksheet) else Cell
    return [_as_text(make(sheet), value) if is_risky(value) else value for value in values]


def formulas_as_text(workbook: Any) -> Any:
    """Every risky text cell of an in-memory workbook made text (call it just before saving)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if is_risky(cell.value) and (cell.data_type == "f" or not cell.quotePrefix):
                    _as_text(cell, cell.value)
    return workbook
