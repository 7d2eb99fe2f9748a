"""The parts of the exchange format added with cases (``motcua.catalog/2``): cases, result types,
and the checks that tie documents and fees to cases and to the e-form.

Every message starts with the place of the item (JSON path or ``sheet!row``).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from motcua.catalog.constants import CODE_MAX_LENGTH, NAME_MAX_LENGTH, OnlineMode, Requirement, TimeUnit

CASE_CODE = re.compile(r"^[-a-zA-Z0-9_]{1,40}$")


def text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def place_of(item: Any, default: str) -> str:
    return (text(item.get("_source")) if isinstance(item, dict) else "") or default


def codes(value: Any) -> list[str]:
    """A list of codes from JSON (a list) or a cell (comma-separated), each once, in order."""
    if value is None or value == "":
        return []
    if isinstance(value, list):
        found = [text(v) for v in value]
    else:
        found = [part.strip() for part in str(value).replace(";", ",").split(",")]
    return list(dict.fromkeys(code for code in found if code))


def json_object(value: Any, *, place: str, what: str, errors: list[str]) -> dict[str, Any]:
    """An object given as JSON (dict) or as JSON text in a cell; empty means {}."""
    if value is None or value == "" or value == {}:
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            errors.append(_("%(place)s: the %(what)s is not JSON.") % {"place": place, "what": what})
            return {}
    if not isinstance(value, dict) or set(value) != {"field", "equals"} or not isinstance(value["field"], str):
        errors.append(
            _('%(place)s: the %(what)s must look like {"field": "…", "equals": …}.') % {"place": place, "what": what}
        )
        return {}
    return {"field": value["field"], "equals": value["equals"]}


def _case_time(item: dict[str, Any], place: str, errors: list[str]) -> dict[str, Any]:
    timing = item.get("processing_time")
    if not isinstance(timing, dict):
        timing = {}
    unit = text(timing.get("unit"))
    if not unit:
        return {"amount": None, "unit": ""}
    if unit not in TimeUnit.values:
        errors.append(
            _("%(place)s: processing time unit “%(unit)s” is not one of %(choices)s.")
            % {"place": place, "unit": unit, "choices": ", ".join(TimeUnit.values)}
        )
        return {"amount": None, "unit": ""}
    if unit == TimeUnit.NONE:
        return {"amount": None, "unit": unit}
    try:
        value = Decimal(text(timing.get("amount")))
        if value <= 0 or value >= 100000:
            raise InvalidOperation
    except InvalidOperation:
        errors.append(_("%(place)s: the processing time must be a positive number.") % {"place": place})
        return {"amount": None, "unit": unit}
    return {"amount": str(value.quantize(Decimal("0.01"))), "unit": unit}


def parse_cases(raw: Any, *, source: str, errors: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
    if raw is None or raw == "":
        return [], []
    if not isinstance(raw, list):
        errors.append(_("“cases” must be a list."))
        return [], []
    cases, places, seen = [], [], set()
    for index, item in enumerate(raw, start=1):
        place = place_of(item, f"{source}.cases[{index}]")
        if not isinstance(item, dict):
            errors.append(_("%(place)s: a case must be an object.") % {"place": place})
            continue
        code, name = text(item.get("code")), text(item.get("name"))
        if not CASE_CODE.match(code):
            errors.append(
                _("%(place)s: the case code “%(code)s” must be 1 to 40 letters, digits, “-” or “_”.")
                % {"place": place, "code": code}
            )
        elif code in seen:
            errors.append(_("%(place)s: case code “%(code)s” appears twice.") % {"place": place, "code": code})
        seen.add(code)
        if not name or len(name) > NAME_MAX_LENGTH:
            errors.append(_("%(place)s: the case needs a name (at most 1000 characters).") % {"place": place})
        online_mode = text(item.get("online_mode"))
        if online_mode and online_mode not in OnlineMode.values:
            errors.append(
                _("%(place)s: online mode “%(mode)s” is not one of %(choices)s.")
                % {"place": place, "mode": online_mode, "choices": ", ".join(OnlineMode.values)}
            )
        cases.append(
            {
                "code": code,
                "name": name,
                "processing_time": _case_time(item, place, errors),
                "online_mode": online_mode,
                "description": text(item.get("description")),
                "selector": json_object(item.get("selector"), place=place, what=_("selector"), errors=errors),
            }
        )
        places.append(place)
    return cases, places


def parse_result_types(raw: Any, *, source: str, legacy_text: str, errors: list[str]) -> list[dict[str, Any]]:
    """Typed results; a file of the first format (no ``result_types``) has its result text as one."""
    if raw is None:
        return [{"code": "", "name": legacy_text, "validity_months": None}] if legacy_text else []
    if not isinstance(raw, list):
        errors.append(_("“result_types” must be a list."))
        return []
    results = []
    for index, item in enumerate(raw, start=1):
        place = place_of(item, f"{source}.result_types[{index}]")
        item = item if isinstance(item, dict) else {}
        code, name = text(item.get("code")), text(item.get("name"))
        if not name or len(name) > NAME_MAX_LENGTH or len(code) > CODE_MAX_LENGTH:
            errors.append(
                _("%(place)s: a result type needs a name (at most 1000 characters) and a code of at most 40.")
                % {"place": place}
            )
        months_text = text(item.get("validity_months"))
        months = None
        if months_text:
            try:
                months = int(months_text)
                if not 0 < months < 10000:
                    raise ValueError
            except ValueError:
                errors.append(
                    _("%(place)s: the validity must be a whole number of months, or empty for no expiry.")
                    % {"place": place}
                )
                months = None
        results.append({"code": code, "name": name, "validity_months": months})
    return results


def check_document_rules(
    documents: list[dict[str, Any]],
    places: list[str],
    *,
    fields: set[str],
    case_codes: set[str],
    errors: list[str],
) -> None:
    """Requirement, condition, group and cases of each document must make sense together."""
    group_members: dict[str, list[str]] = {}
    for document, place in zip(documents, places, strict=True):
        requirement = document["requirement"]
        if requirement not in Requirement.values:
            errors.append(
                _("%(place)s: requirement “%(value)s” is not one of %(choices)s.")
                % {"place": place, "value": requirement, "choices": ", ".join(Requirement.values)}
            )
        condition = document["condition"]
        if requirement == Requirement.CONDITIONAL and not document["condition_label"]:
            errors.append(
                _("%(place)s: a conditional document needs its condition in words (condition_label).")
                % {"place": place}
            )
        if requirement != Requirement.CONDITIONAL and (condition or document["condition_label"]):
            errors.append(_("%(place)s: only a conditional document has a condition.") % {"place": place})
        if condition and condition["field"] not in fields:
            errors.append(
                _("%(place)s: the condition is on “%(field)s”, which is not a field of the e-form.")
                % {"place": place, "field": condition["field"]}
            )
        if requirement == Requirement.ONE_OF:
            if document["group"]:
                group_members.setdefault(document["group"], []).append(place)
            else:
                errors.append(_("%(place)s: a “one of” document needs a group.") % {"place": place})
        elif document["group"]:
            errors.append(_("%(place)s: only a “one of” document has a group.") % {"place": place})
        check_case_codes(document["cases"], place=place, case_codes=case_codes, errors=errors)
    for group, members in group_members.items():
        if len(members) == 1:
            errors.append(
                _("%(place)s: group “%(group)s” has a single document; “one of” needs at least two.")
                % {"place": members[0], "group": group}
            )


def check_case_codes(referenced: list[str], *, place: str, case_codes: set[str], errors: list[str]) -> None:
    for code in referenced:
        if code not in case_codes:
            errors.append(
                _("%(place)s: case “%(case)s” is not one of this procedure's cases.") % {"place": place, "case": code}
            )


def check_selectors(cases: list[dict[str, Any]], places: list[str], *, fields: set[str], errors: list[str]) -> None:
    for case, place in zip(cases, places, strict=True):
        if case["selector"] and case["selector"]["field"] not in fields:
            errors.append(
                _("%(place)s: the case is chosen by “%(field)s”, which is not a field of the e-form.")
                % {"place": place, "field": case["selector"]["field"]}
            )
