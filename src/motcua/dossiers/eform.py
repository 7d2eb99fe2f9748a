"""E-form data checked against the procedure version's JSON Schema, with messages people can act on."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker

from motcua.core.schema_forms import PROBLEMS, ordered_properties, value_problem
from motcua.dossiers.exceptions import FormInvalid


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


def validate_form(schema: dict[str, Any], data: Any) -> None:
    errors = form_errors(schema, data)
    if errors:
        raise FormInvalid(details=errors)
