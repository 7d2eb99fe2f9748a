"""XLSX form of the catalog exchange format: one sheet per table, a row per item.

Sheets: ``sectors`` (code, name), ``procedures`` (one row each; lists comma-separated, e-form as
JSON text), ``cases``, ``documents``, ``fees`` and ``result_types`` (rows tied to a procedure by
``procedure_code``; a document's or fee's cases comma-separated, conditions and selectors as JSON text).
A workbook without a ``result_types`` sheet is read as the first format: the result text is the result.
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
from motcua.core.xlsx_text import formulas_as_text

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
CASE_COLUMNS = ["procedure_code", "code", "name", "time_amount", "time_unit", "online_mode", "description", "selector"]
DOCUMENT_COLUMNS = [
    "procedure_code",
    "name",
    "requirement",
    "condition_label",
    "condition",
    "group",
    "cases",
    "form",
    "quantity",
    "document_type_code",
    "reusable",
    "note",
]
FEE_COLUMNS = ["procedure_code", "name", "amount", "note", "cases", "collected_at", "exemptions"]
RESULT_COLUMNS = ["procedure_code", "code", "name", "validity_months"]
CHILD_SHEETS = (
    ("cases", CASE_COLUMNS),
    ("documents", DOCUMENT_COLUMNS),
    ("fees", FEE_COLUMNS),
    ("result_types", RESULT_COLUMNS),
)


def _cell(value: Any) -> Any:
    """Lists become comma-separated codes, objects JSON text; an empty object an empty cell."""
    if isinstance(value, list):
        return ",".join(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False) if value else None
    return value


def _child_rows(item: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    cases = []
    for case in item.get("cases") or []:
        timing = case.get("processing_time") or {}
        cases.append({**case, "time_amount": timing.get("amount"), "time_unit": timing.get("unit")})
    return {
        "cases": cases,
        "documents": item.get("required_documents") or [],
        "fees": item.get("fees") or [],
        "result_types": item.get("result_types") or [],
    }


def catalog_to_xlsx(document: dict[str, Any]) -> bytes:
    workbook = Workbook()
    sectors = workbook.active
    assert sectors is not None
    sectors.title = "sectors"
    sectors.append(["code", "name"])
    for sector in document["sectors"]:
        sectors.append([sector["code"], sector["name"]])
    procedures = workbook.create_sheet("procedures")
    procedures.append(PROCEDURE_COLUMNS)
    children = {}
    for sheet, columns in CHILD_SHEETS:
        children[sheet] = workbook.create_sheet(sheet)
        children[sheet].append(columns)
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
        for (sheet, columns), rows in zip(CHILD_SHEETS, _child_rows(item).values(), strict=True):
            for child in rows:
                children[sheet].append([item["code"]] + [_cell(child.get(column)) for column in columns[1:]])
    out = io.BytesIO()
    formulas_as_text(workbook)
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
    for sheet, columns in CHILD_SHEETS:
        for row in sheets.get(sheet, []):
            child: dict[str, Any] = {column: row.values.get(column, "") for column in columns[1:]}
            child["_source"] = f"{sheet}!{row.number}"
            if sheet == "cases":
                child["processing_time"] = {"amount": child.pop("time_amount"), "unit": child.pop("time_unit")}
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
        item["cases"] = own.get("cases", [])
        item["required_documents"] = own.get("documents", [])
        item["fees"] = own.get("fees", [])
        if "result_types" in sheets:
            item["result_types"] = own.get("result_types", [])
        procedures.append(item)
    codes = {row.values.get("code", "") for row in sheets["procedures"]}
    unattached = {
        child["_source"]: code
        for code, own in children.items()
        if code not in codes
        for rows in own.values()
        for child in rows
    }
    return {"format": CATALOG_FORMAT, "_unattached": unattached, "sectors": sectors, "procedures": procedures}
