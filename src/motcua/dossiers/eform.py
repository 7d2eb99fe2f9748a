"""E-form data checked against the procedure version's JSON Schema, with messages people can act on."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker

from motcua.core.schema_forms import DEFAULT_MAX_LENGTH, NUL, PROBLEMS, max_length, ordered_properties, value_problem
from motcua.dossiers.exceptions import FormInvalid

MAX_FORM_VALUES = 500  # keys and values of one e-form, at any depth (the largest demo form has 30)


def _message(error: Any) -> str:
    kind = error.validator
    if kind == "required":
        return _("This field is required.")
    if kind == "format" and error.validator_value == "date":
        return _("Enter a valid date (YYYY-MM-DD).")
    if kind == "format":
        return _("The value does not have the expected format.")
    if kind == "enum":
        return _("Choose one of the listed values.")
    if kind == "maxLength":
        return str(PROBLEMS["too_long"] % {"limit": error.validator_value})
    if kind == "maximum":
        return _("The value is too long or too large.")
    if kind in {"minLength", "minimum"}:
        return _("The value is too short or too small.")
    if kind == "pattern":
        return _("The value does not have the expected form.")
    if kind == "type":
        return _("The value has the wrong type.")
    return _("The value is not valid.")


def form_errors(schema: dict[str, Any], data: Any) -> dict[str, list[str]]:
    """Errors keyed by field name ("" for the form as a whole): the JSON Schema's, then for each value
    the schema accepted, the checks of ``core.schema_forms.value_problem`` (IDs, dates, text length)."""
    if not schema:
        return {}
    if not isinstance(data, dict):
        return {"": [_("The e-form must be an object of fields.")]}
    errors: dict[str, list[str]] = {}
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    for error in sorted(validator.iter_errors(data), key=lambda e: list(e.path)):
        if error.validator == "required":
            field = error.message.split("'")[1] if "'" in error.message else ""
        else:
            field = str(error.path[0]) if error.path else ""
        errors.setdefault(field, []).append(_message(error))
    for name, spec in ordered_properties(schema):
        if name in errors or data.get(name) in (None, ""):
            continue
        problem = value_problem(name, spec, data[name], data=data)
        if problem is not None:
            errors[name] = [str(problem.message)]
    return errors


def _text_limit(schema: dict[str, Any], name: str) -> int:
    spec = (schema.get("properties") or {}).get(name) if isinstance(schema, dict) else None
    return (max_length(spec) if isinstance(spec, dict) else None) or DEFAULT_MAX_LENGTH


def form_bounds(schema: dict[str, Any], data: Any) -> tuple[str, dict[str, list[str]]] | None:
    """What no e-form may hold, whatever its schema says (or when it has none): a NUL character, a text
    longer than its limit (the property's own, else ``DEFAULT_MAX_LENGTH``, also for undeclared and
    nested values and for keys), more than ``MAX_FORM_VALUES`` keys and values. (code, errors) or None."""
    if not isinstance(data, dict):
        return None
    found: dict[str, dict[str, list[str]]] = {}
    count = 0
    # (top-level field, value, text limit); iterative, so any depth is walked without recursion.
    stack: list[tuple[str, Any, int]] = []
    for key, value in data.items():
        stack += [(str(key), str(key), DEFAULT_MAX_LENGTH), (str(key), value, _text_limit(schema, str(key)))]
    while stack:
        field, value, limit = stack.pop()
        count += 1
        if isinstance(value, dict):
            for key, item in value.items():
                stack += [(field, str(key), DEFAULT_MAX_LENGTH), (field, item, limit)]
        elif isinstance(value, list):
            stack.extend((field, item, limit) for item in value)
        elif isinstance(value, str) and NUL in value:
            found.setdefault("nul_character", {})[field] = [str(PROBLEMS["nul_character"])]
        elif isinstance(value, str) and len(value) > limit:
            found.setdefault("text_too_long", {})[field] = [str(PROBLEMS["too_long"] % {"limit": limit})]
    if count > MAX_FORM_VALUES:
        return "form_too_large", {"": [_("The e-form has too many values.")]}
    for code in ("nul_character", "text_too_long"):
        if code in found:
            return code, found[code]
    return None


def validate_form(schema: dict[str, Any], data: Any) -> None:
    """Raise FormInvalid with every error; its code is the bound broken (``form_bounds``) when that is
    all that is wrong, and a NUL or too many values are refused before the schema is even applied."""
    bounds = form_bounds(schema, data)
    if bounds is not None and bounds[0] != "text_too_long":
        raise FormInvalid(code=bounds[0], details=bounds[1])
    errors = form_errors(schema, data)
    if bounds is not None:
        errors = bounds[1] | {name: found for name, found in errors.items() if name not in bounds[1]}
        if errors == bounds[1]:
            raise FormInvalid(code=bounds[0], details=errors)
    if errors:
        raise FormInvalid(details=errors)
