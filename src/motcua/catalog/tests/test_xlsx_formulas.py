"""The catalog's exchange workbook keeps a formula-like text as text, and reads it back unchanged."""

from __future__ import annotations

from motcua.catalog.xlsx import catalog_from_xlsx, catalog_to_xlsx
from motcua.core.tests.test_xlsx_text import no_formula


def test_the_catalog_exchange_file_keeps_a_formula_like_name_as_text() -> None:
    document = {"sectors": [{"code": "TP", "name": "=1+1"}], "procedures": []}
    data = catalog_to_xlsx(document)

    assert no_formula(data)
    assert catalog_from_xlsx(data)["sectors"][0]["name"] == "=1+1"
