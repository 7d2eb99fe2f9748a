"""Texts that look like formulas are written as text by every XLSX writer (core.xlsx_text)."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from motcua.core.xlsx_text import formulas_as_text, text_cells

RISKY = ['=HYPERLINK("http://example.invalid","x")', "+84 912", "-1+2", "@SUM(A1)", "\t=1", "\r=1"]
PLAIN = ["Nguyễn Văn An", "a=b", 12, None]


def saved(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def cells(data: bytes) -> list:
    return [c for row in load_workbook(io.BytesIO(data)).worksheets[0].iter_rows() for c in row]


def no_formula(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return all("<f>" not in archive.read(n).decode() for n in archive.namelist() if "worksheets/" in n)


@pytest.mark.parametrize("write_only", [True, False])
def test_a_row_of_text_cells_keeps_risky_texts_as_text(write_only: bool) -> None:
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet() if write_only else workbook.active
    sheet.append(text_cells(sheet, RISKY + PLAIN))
    data = saved(workbook)

    assert no_formula(data)
    read = cells(data)
    assert [c.value for c in read if c.value is not None] == RISKY + PLAIN[:3]
    assert [(c.value, c.data_type, c.quotePrefix) for c in read[: len(RISKY)]] == [(v, "s", True) for v in RISKY]
    assert [c.quotePrefix for c in read[len(RISKY) : len(RISKY) + 3]] == [False, False, False]


def test_a_whole_workbook_is_made_safe_before_saving() -> None:
    workbook = Workbook()
    workbook.active.append(RISKY)
    workbook.active.cell(row=2, column=1).value = RISKY[0]
    data = saved(formulas_as_text(workbook))

    assert no_formula(data)
    assert [c.value for c in cells(data) if c.value] == [*RISKY, RISKY[0]]
