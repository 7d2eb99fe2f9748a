"""The catalog's exchange format (``motcua.catalog/2``, also reading ``/1``): validation and canonical form.

The same structure is imported, exported and compared to decide whether an import brings a new
version. Pure functions except for the look-ups passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from motcua.catalog.constants import (
    CATALOG_FORMAT,
    CATALOG_FORMATS_READ,
    CODE_MAX_LENGTH,
    NAME_MAX_LENGTH,
    DocumentForm,
    FeeMoment,
    ImplementingLevel,
    OnlineMode,
    Requirement,
    TimeUnit,
)
from motcua.catalog.content_cases import (
    check_case_codes,
    check_document_rules,
    check_selectors,
    codes,
    json_object,
    parse_cases,
    parse_result_types,
    place_of,
)
from motcua.core.identifiers import PROCEDURE_CODE
from motcua.core.schema_forms import with_property_order

BOOL_FIELDS = ("authorised_submission", "postal", "digital_signature_required")
TEXT_FIELDS = ("legal_basis", "result_type", "description", "conditions")


@dataclass
class ProcedureContent:
    """One procedure as the file describes it; ``source`` says where, for error messages."""

    source: str
    code: str
    version: dict[str, Any]  # fields of ProcedureVersion, canonical (sector as code)
    documents: list[dict[str, Any]]
    fees: list[dict[str, Any]]
    agencies: list[str]
    cases: list[dict[str, Any]] = field(default_factory=list)
    result_types: list[dict[str, Any]] = field(default_factory=list)

    def fingerprint(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "cases": self.cases,
            "documents": self.documents,
            "fees": self.fees,
            "result_types": self.result_types,
        }


@dataclass
class ParsedCatalog:
    sectors: dict[str, str] = field(default_factory=dict)
    procedures: list[ProcedureContent] = field(default_factory=list)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _bool(value: Any, default: bool) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "x", "có", "co"}


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [_text(v) for v in value if _text(v)]
    return [part.strip() for part in str(value).replace(";", ",").split(",") if part.strip()]


def parse_time(value: Any) -> time | None:
    text = _text(value)
    if not text:
        return None
    hours, _sep, minutes = text.partition(":")
    return time(int(hours), int(minutes or 0))


def _parse_documents(raw: Any, source: str, errors: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
    documents: list[dict[str, Any]] = []
    places: list[str] = []
    if not isinstance(raw, list):
        errors.append(_("“required_documents” must be a list."))
        return [], []
    for index, item in enumerate(raw, start=1):
        name = _text(item.get("name")) if isinstance(item, dict) else ""
        if not name:
            errors.append(_("Required document %(n)d has no name.") % {"n": index})
            continue
        form = _text(item.get("form")) or DocumentForm.ORIGINAL
        if form not in DocumentForm.values:
            errors.append(
                _("Required document %(n)d: form “%(form)s” is not one of %(choices)s.")
                % {"n": index, "form": form, "choices": ", ".join(DocumentForm.values)}
            )
        try:
            quantity = int(item.get("quantity") or 1)
            if quantity < 1:
                raise ValueError
        except (TypeError, ValueError):
            errors.append(_("Required document %(n)d: the quantity must be a positive whole number.") % {"n": index})
            quantity = 1
        place = place_of(item, f"{source}.required_documents[{index}]")
        documents.append(
            {
                "name": name,
                "requirement": _text(item.get("requirement")) or Requirement.ALWAYS,
                "condition_label": _text(item.get("condition_label")),
                "condition": json_object(item.get("condition"), place=place, what=_("condition"), errors=errors),
                "group": _text(item.get("group")),
                "cases": codes(item.get("cases")),
                "form": form,
                "quantity": quantity,
                "document_type_code": _text(item.get("document_type_code")),
                "reusable": _bool(item.get("reusable"), False),
                "note": _text(item.get("note")),
            }
        )
        places.append(place)
    return documents, places


def _parse_fees(raw: Any, source: str, case_codes: set[str], errors: list[str]) -> list[dict[str, Any]]:
    fees = []
    if not isinstance(raw, list):
        errors.append(_("“fees” must be a list."))
        return []
    for index, item in enumerate(raw, start=1):
        name = _text(item.get("name")) if isinstance(item, dict) else ""
        if not name:
            errors.append(_("Fee %(n)d has no name.") % {"n": index})
            continue
        try:
            amount = int(Decimal(str(item.get("amount") or 0)))
            if amount < 0:
                raise ValueError
        except (InvalidOperation, ValueError):
            errors.append(_("Fee %(n)d: the amount must be a whole number of VND, 0 or more.") % {"n": index})
            amount = 0
        place = place_of(item, f"{source}.fees[{index}]")
        collected_at = _text(item.get("collected_at")) or FeeMoment.RECEPTION
        if collected_at not in FeeMoment.values:
            errors.append(
                _("%(place)s: “collected_at” “%(value)s” is not one of %(choices)s.")
                % {"place": place, "value": collected_at, "choices": ", ".join(FeeMoment.values)}
            )
        fee_cases = codes(item.get("cases"))
        check_case_codes(fee_cases, place=place, case_codes=case_codes, errors=errors)
        fees.append(
            {
                "name": name,
                "amount": amount,
                "note": _text(item.get("note")),
                "cases": fee_cases,
                "collected_at": collected_at,
                "exemptions": _text(item.get("exemptions")),
            }
        )
    return fees


def _parse_time_fields(raw: dict[str, Any], version: dict[str, Any], errors: list[str]) -> None:
    timing = raw.get("processing_time") or {}
    unit = _text(timing.get("unit")) if isinstance(timing, dict) else ""
    amount_raw = timing.get("amount") if isinstance(timing, dict) else None
    if unit not in TimeUnit.values:
        errors.append(
            _("Processing time unit “%(unit)s” is not one of %(choices)s.")
            % {"unit": unit, "choices": ", ".join(TimeUnit.values)}
        )
    amount: str | None = None
    if unit and unit != TimeUnit.NONE:
        try:
            value = Decimal(str(amount_raw))
            if value <= 0 or value >= 100000:
                raise InvalidOperation
            amount = str(value.quantize(Decimal("0.01")))
        except (InvalidOperation, ValueError):
            errors.append(_("The processing time must be a positive number."))
    version["time_unit"] = unit
    version["time_amount"] = amount
    try:
        cutoff = parse_time(raw.get("cutoff"))
        version["cutoff"] = cutoff.strftime("%H:%M") if cutoff else None
    except ValueError:
        errors.append(_("The cut-off time must look like 15:00."))
        version["cutoff"] = None


def _check_lengths(
    version: dict[str, Any], documents: list[dict[str, Any]], fees: list[dict[str, Any]], errors: list[str]
) -> None:
    """The database refuses over-long text; say which value it is instead of failing mid-import."""
    values = [(_("name"), version["name"], NAME_MAX_LENGTH), (_("result"), version["result_type"], NAME_MAX_LENGTH)]
    values += [(_("document name"), d["name"], NAME_MAX_LENGTH) for d in documents]
    values += [(_("condition"), d["condition_label"], NAME_MAX_LENGTH) for d in documents]
    values += [(_("group"), d["group"], CODE_MAX_LENGTH) for d in documents]
    values += [(_("document type code"), d["document_type_code"], CODE_MAX_LENGTH) for d in documents]
    values += [(_("fee name"), f["name"], NAME_MAX_LENGTH) for f in fees]
    for label, value, limit in values:
        if len(value) > limit:
            errors.append(_("Too long (more than %(max)d characters): %(field)s.") % {"field": label, "max": limit})


def parse_procedure(
    raw: Any, *, source: str, sectors: set[str], agencies: set[str]
) -> tuple[ProcedureContent | None, list[str]]:
    errors: list[str] = []
    if not isinstance(raw, dict):
        return None, [_("Each procedure must be an object.")]
    code = _text(raw.get("code"))
    if not PROCEDURE_CODE.match(code):
        errors.append(_("“%(code)s” is not a national procedure code (e.g. 1.001193).") % {"code": code})
    name = _text(raw.get("name"))
    if not name:
        errors.append(_("The name is empty."))
    sector = _text(raw.get("sector"))
    if sector not in sectors:
        errors.append(_("Sector “%(sector)s” is not in the catalog.") % {"sector": sector})
    levels = _as_list(raw.get("levels"))
    bad_levels = [level for level in levels if level not in ImplementingLevel.values]
    if not levels or bad_levels:
        errors.append(
            _("Implementing levels must be some of %(choices)s.") % {"choices": ", ".join(ImplementingLevel.values)}
        )
    online_mode = _text(raw.get("online_mode"))
    if online_mode not in OnlineMode.values:
        errors.append(
            _("Online mode “%(mode)s” is not one of %(choices)s.")
            % {"mode": online_mode, "choices": ", ".join(OnlineMode.values)}
        )
    version: dict[str, Any] = {"name": name, "sector": sector, "levels": levels, "online_mode": online_mode}
    _parse_time_fields(raw, version, errors)
    for key in TEXT_FIELDS:
        version[key] = _text(raw.get(key))
    version["authorised_submission"] = _bool(raw.get("authorised_submission"), True)
    version["postal"] = _bool(raw.get("postal"), False)
    version["digital_signature_required"] = _bool(raw.get("digital_signature_required"), False)
    schema = raw.get("form_schema") or {}
    if not isinstance(schema, dict):
        errors.append(_("The e-form schema must be a JSON object."))
        schema = {}
    else:
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as exc:
            errors.append(_("The e-form schema is not valid JSON Schema: %(error)s") % {"error": exc.message})
    version["form_schema"] = with_property_order(schema)
    fields = set(schema.get("properties") or {}) if isinstance(schema.get("properties"), dict) else set()
    cases, case_places = parse_cases(raw.get("cases"), source=source, errors=errors)
    check_selectors(cases, case_places, fields=fields, errors=errors)
    case_codes = {case["code"] for case in cases}
    documents, places = _parse_documents(raw.get("required_documents", []), source, errors)
    check_document_rules(documents, places, fields=fields, case_codes=case_codes, errors=errors)
    fees = _parse_fees(raw.get("fees", []), source, case_codes, errors)
    result_types = parse_result_types(
        raw.get("result_types"), source=source, legacy_text=version["result_type"], errors=errors
    )
    offered = _as_list(raw.get("agencies"))
    unknown = [a for a in offered if a not in agencies]
    if unknown:
        errors.append(_("Unknown agencies: %(codes)s.") % {"codes": ", ".join(unknown)})
    _check_lengths(version, documents, fees, errors)
    if errors:
        return None, errors
    return ProcedureContent(
        source=source,
        code=code,
        version=version,
        documents=documents,
        fees=fees,
        agencies=offered,
        cases=cases,
        result_types=result_types,
    ), []


def parse_catalog(
    document: Any, *, known_sectors: set[str], known_agencies: set[str]
) -> tuple[ParsedCatalog, dict[str, list[str]]]:
    """Validate a whole catalog document; return it parsed and every error keyed by its place."""
    errors: dict[str, list[str]] = {}
    parsed = ParsedCatalog()
    if not isinstance(document, dict) or document.get("format") not in CATALOG_FORMATS_READ:
        return parsed, {
            "format": [_("The file is not a motcua catalog (format %(format)s).") % {"format": CATALOG_FORMAT}]
        }
    for index, raw in enumerate(document.get("sectors") or [], start=1):
        source = _text(raw.get("_source")) if isinstance(raw, dict) else ""
        source = source or f"sectors[{index}]"
        code = _text(raw.get("code")) if isinstance(raw, dict) else ""
        name = _text(raw.get("name")) if isinstance(raw, dict) else ""
        if not code or not name:
            errors[source] = [_("A sector needs a code and a name.")]
        elif len(code) > CODE_MAX_LENGTH or len(name) > 255:
            errors[source] = [_("A sector code has at most 40 characters and a name at most 255.")]
        elif code in parsed.sectors:
            errors[source] = [_("Sector code %(code)s appears twice.") % {"code": code}]
        else:
            parsed.sectors[code] = name
    # Rows of a workbook whose procedure_code matches no procedure row would be lost without a word.
    for place, code in (document.get("_unattached") or {}).items():
        errors[place] = [_("No procedure with code “%(code)s” in the procedures sheet.") % {"code": code}]
    sectors = known_sectors | set(parsed.sectors)
    seen: dict[str, str] = {}
    for index, raw in enumerate(document.get("procedures") or [], start=1):
        source = (_text(raw.get("_source")) if isinstance(raw, dict) else "") or f"procedures[{index}]"
        content, problems = parse_procedure(raw, source=source, sectors=sectors, agencies=known_agencies)
        if content is not None and content.code in seen:
            problems = [
                _("Procedure %(code)s also appears at %(other)s.") % {"code": content.code, "other": seen[content.code]}
            ]
        if problems:
            label = f"{source} ({_text(raw.get('code'))})" if isinstance(raw, dict) and raw.get("code") else source
            errors[label] = problems
            continue
        assert content is not None
        seen[content.code] = source
        parsed.procedures.append(content)
    return parsed, errors
