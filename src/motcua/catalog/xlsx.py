"""XLSX form of the catalog exchange format: one sheet per table, a row per item.

Sheets: ``sectors`` (code, name), ``procedures`` (one row each; lists comma-separated, e-form as
JSON text), ``documents`` and ``fees`` (rows tied to a procedure by ``procedure_code``).
"""

from __future__ import annotations

import io
import json
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from motcua.catalog.constants import CATALOG_FORMAT
from motcua.core.exceptions import ValidationFailed
from motcua.core.tabular import read_xlsx_sheets

PROCEDURE_COLUMNS = [
    "code",
    "name",
    "sector",
    "levels",
    "online_mode",
    "time_amount",
    "time_unit",
    "cutoff",
    "legal_basis",
    "result_type",
    "description",
    "conditions",
    "authorised_submission",
    "postal",
    "digital_signature_required",
    "agencies",
    "form_schema",
]
DOCUMENT_COLUMNS = ["procedure_code", "name", "form", "quantity", "document_type_code", "reusable", "note"]
FEE_COLUMNS = ["procedure_code", "name", "amount", "note"]


def catalog_to_xlsx(document: dict[str, Any]) -> bytes:
    workbook = Workbook()
    sectors = workbook.active
    assert sectors is not None
    sectors.title = "sectors"
    sectors.append(["code", "name"])
    for sector in document["sectors"]:
        sectors.append([sector["code"], sector["name"]])
    procedures = workbook.create_sheet("procedures")
    documents = workbook.create_sheet("documents")
    fees = workbook.create_sheet("fees")
    procedures.append(PROCEDURE_COLUMNS)
    documents.append(DOCUMENT_COLUMNS)
    fees.append(FEE_COLUMNS)
    for item in document["procedures"]:
        timing = item.get("processing_time") or {}
        row = {
            **item,
            "time_amount": timing.get("amount"),
            "time_unit": timing.get("unit"),
            "levels": ",".join(item.get("levels", [])),
            "agencies": ",".join(item.get("agencies", [])),
            "form_schema": json.dumps(item.get("form_schema") or {}, ensure_ascii=False),
        }
        procedures.append([row.get(column) for column in PROCEDURE_COLUMNS])
        for doc in item.get("required_documents", []):
            documents.append([item["code"]] + [doc.get(column) for column in DOCUMENT_COLUMNS[1:]])
        for fee in item.get("fees", []):
            fees.append([item["code"]] + [fee.get(column) for column in FEE_COLUMNS[1:]])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def catalog_from_xlsx(data: bytes) -> dict[str, Any]:
    """Turn the workbook back into the exchange document; cells keep their sheet and row as ``_source``."""
    sheets = read_xlsx_sheets(io.BytesIO(data))
    if "procedures" not in sheets:
        raise ValidationFailed(_("The workbook has no “procedures” sheet."), code="bad_file")
    sectors = [
        {"code": r.values.get("code", ""), "name": r.values.get("name", ""), "_source": f"sectors!{r.number}"}
        for r in sheets.get("sectors", [])
    ]
    children: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for sheet, columns in (("documents", DOCUMENT_COLUMNS), ("fees", FEE_COLUMNS)):
        for row in sheets.get(sheet, []):
            child: dict[str, Any] = {column: row.values.get(column, "") for column in columns[1:]}
            children.setdefault(row.values.get("procedure_code", ""), {}).setdefault(sheet, []).append(child)
    procedures = []
    for row in sheets["procedures"]:
        values = row.values
        item: dict[str, Any] = {column: values.get(column, "") for column in PROCEDURE_COLUMNS}
        item["_source"] = f"procedures!{row.number}"
        item["processing_time"] = {"amount": item.pop("time_amount") or None, "unit": item.pop("time_unit")}
        schema_text = item.get("form_schema") or "{}"
        try:
            item["form_schema"] = json.loads(schema_text)
        except json.JSONDecodeError:
            item["form_schema"] = "not JSON"  # reported as a row error by the parser
        own = children.get(item["code"], {})
        item["required_documents"] = own.get("documents", [])
        item["fees"] = own.get("fees", [])
        procedures.append(item)
    return {"format": CATALOG_FORMAT, "sectors": sectors, "procedures": procedures}
