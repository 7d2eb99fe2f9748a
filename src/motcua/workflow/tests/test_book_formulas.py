"""A name that looks like a spreadsheet formula is written to the tracking book as the text it is."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from openpyxl import load_workbook

from motcua.workflow.books import tracking_book_xlsx
from tests.processing import received_birth_dossier

FORMULA = '=HYPERLINK("http://example.invalid","x")'


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def test_a_citizen_named_like_a_formula_stays_text(people, province, monday_morning) -> None:
    citizen = people["citizen"]
    citizen.full_name = FORMULA
    citizen.save(update_fields=["full_name"])
    received_birth_dossier(people)

    data = tracking_book_xlsx(agency=province["commune_a"], start=date(2026, 3, 9), end=date(2026, 3, 9))

    assert "<f>" not in sheet_xml(data)
    cells = [c for row in load_workbook(io.BytesIO(data)).worksheets[0].iter_rows() for c in row if c.value == FORMULA]
    assert [(c.data_type, c.quotePrefix) for c in cells] == [("s", True)]
