"""Django form fields from a procedure's e-form JSON Schema, so portal and back office render one form,
and the checks the schema alone cannot say (``value_problem``): the structure of personal IDs, sane
dates, no birth in the future, a length limit on every text. The dossier services run the same checks
on every path (portal, desk, API) through ``dossiers.eform``.

Schema keywords of ours: ``"x-kind": "personal_id"`` or ``"birth_date"`` (explicit; without it, a field
is recognised by its name: ``so_dinh_danh…`` or ``…personal_id`` / ``ngay_sinh…`` or ``…birth_date``),
and ``"x-birth-date-field": "<name>"`` on a personal ID to compare its year of birth with that date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.identifiers import personal_id_birth_year, personal_id_problem

# PostgreSQL's jsonb does not keep object key order, so the author's field order is stored as a list.
ORDER_KEY = "x-property-order"


def with_property_order(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with its properties' order recorded (done once, when a catalog is imported)."""
    properties = schema.get("properties")
    if not isinstance(properties, dict) or ORDER_KEY in schema:
        return schema
    return {**schema, ORDER_KEY: list(properties)}


def ordered_properties(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(name, spec) of the top-level properties in the author's order."""
    properties = schema.get("properties") or {}
    if not isinstance(properties, dict):
        return []
    order = [name for name in schema.get(ORDER_KEY) or [] if name in properties]
    order += [name for name in properties if name not in order]
    return [(name, properties[name]) for name in order if isinstance(properties[name], dict)]


KIND_KEY = "x-kind"
BIRTH_DATE_FIELD_KEY = "x-birth-date-field"
PERSONAL_ID = "personal_id"
BIRTH_DATE = "birth_date"
DEFAULT_MAX_LENGTH = 500  # a text without its own maxLength
NUL = "\x00"  # PostgreSQL cannot store it in text or jsonb: refused everywhere, on every database
EARLIEST_DATE = date(1900, 1, 1)


@dataclass(frozen=True)
class Problem:
    code: str  # stable, for the API
    message: Any  # for people (translated)


PROBLEMS: dict[str, Any] = {
    "personal_id_format": _("Enter the 12 digits of the personal identification number."),
    "personal_id_region": _(
        "The first 3 digits of the personal identification number are not the code of a province or country."
    ),
    "personal_id_birth_year": _(
        "Digits 4 to 6 of the personal identification number (century, sex and year of birth) give a year "
        "in the future."
    ),
    "personal_id_birth_date": _(
        "The year of birth in the personal identification number does not match the date of birth."
    ),
    "birth_date_future": _("A date of birth cannot be in the future."),
    "date_too_early": _("Enter a date from 01/01/1900."),
    "too_long": _("Enter at most %(limit)d characters."),
    # Django's own message for its NUL validator: our translation serves every form of the site.
    "nul_character": _("Null characters are not allowed."),
}


def _problem(code: str, **values: Any) -> Problem:
    message = PROBLEMS[code]
    return Problem(code, message % values if values else message)


def field_kind(name: str, spec: dict[str, Any]) -> str:
    """``personal_id``, ``birth_date`` or "" for a property: its ``x-kind``, else guessed from its name."""
    if KIND_KEY in spec:
        return str(spec[KIND_KEY])
    if spec.get("type", "string") != "string":
        return ""
    key = name.lower()
    if spec.get("format") == "date" and (key.startswith("ngay_sinh") or key.endswith("birth_date")):
        return BIRTH_DATE
    if "format" not in spec and (key.startswith("so_dinh_danh") or key.endswith(PERSONAL_ID)):
        return PERSONAL_ID
    return ""


def max_length(spec: dict[str, Any]) -> int | None:
    """The length limit of a text property: its own, else ``DEFAULT_MAX_LENGTH``; None for other types."""
    # A property without a type is rendered as a text field: it is a text here too.
    if spec.get("type", "string") != "string" or "enum" in spec or spec.get("format") == "date":
        return None
    return int(spec.get("maxLength") or DEFAULT_MAX_LENGTH)


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None  # the schema's own date format check reports it


def value_problem(
    name: str, spec: dict[str, Any], value: Any, *, data: dict[str, Any] | None = None, today: date | None = None
) -> Problem | None:
    """What is wrong with one present value beyond its schema type, or None (pure: ``today`` is given
    or the local date)."""
    today = today or timezone.localdate()
    kind = field_kind(name, spec)
    if isinstance(value, str) and NUL in value:
        return _problem("nul_character")
    if isinstance(value, str) and (limit := max_length(spec)) is not None and len(value) > limit:
        return _problem("too_long", limit=limit)
    if kind == PERSONAL_ID and isinstance(value, str):
        problem = personal_id_problem(value, today=today)
        if problem is not None:
            return _problem(f"personal_id_{problem}")
        birth = _as_date((data or {}).get(str(spec.get(BIRTH_DATE_FIELD_KEY, ""))))
        if birth is not None and personal_id_birth_year(value) != birth.year:
            return _problem("personal_id_birth_date")
    if spec.get("format") == "date" or kind == BIRTH_DATE:
        day = _as_date(value)
        if day is not None and day < EARLIEST_DATE:
            return _problem("date_too_early")
        if day is not None and kind == BIRTH_DATE and day > today:
            return _problem("birth_date_future")
    return None


def _validator(name: str, spec: dict[str, Any]) -> Any:
    def validate(value: Any) -> None:
        problem = value_problem(name, spec, value)
        if problem is not None:
            raise ValidationError(problem.message, code=problem.code)

    return validate


def _field(spec: dict[str, Any], *, required: bool, name: str = "") -> forms.Field:
    field = _bare_field(spec, required=required)
    # value_problem refuses a NUL with the same words; one message per field is enough.
    field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
    field.validators.append(_validator(name, spec))
    return field


def _bare_field(spec: dict[str, Any], *, required: bool) -> forms.Field:
    label = spec.get("title") or ""
    common: dict[str, Any] = {"label": label, "required": required, "help_text": spec.get("description", "")}
    kind = spec.get("type")
    if "enum" in spec:
        # A required choice starts blank too: a preselected first value ("Cha") is silently sent by a
        # mother who did not look; the blank one makes her choose.
        choices = [("", "—")] + [(str(v), str(v)) for v in spec["enum"]]
        return forms.ChoiceField(choices=choices, **common)
    if kind == "boolean":
        return forms.BooleanField(**{**common, "required": False})
    if kind == "integer":
        return forms.IntegerField(min_value=spec.get("minimum"), max_value=spec.get("maximum"), **common)
    if kind == "number":
        return forms.DecimalField(min_value=spec.get("minimum"), max_value=spec.get("maximum"), **common)
    if spec.get("format") == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    limit = max_length(spec)
    # A long text gets a text area, unless it is the default limit of an ordinary one-line field.
    widget = forms.Textarea(attrs={"rows": 3}) if (spec.get("maxLength") or 0) > 255 else None
    field = forms.CharField(min_length=spec.get("minLength"), widget=widget, **common)
    if limit is not None:
        field.widget.attrs["maxlength"] = str(limit)
    return field


def schema_form_class(schema: dict[str, Any]) -> type[forms.Form]:
    """A Form class with one field per top-level property, in the schema's order."""
    required = set(schema.get("required", []))
    fields = {
        name: _field(spec, required=name in required, name=name)
        for name, spec in ordered_properties(schema)
        if isinstance(spec, dict)
    }
    return type("SchemaForm", (forms.Form,), fields)


def json_data(cleaned: dict[str, Any]) -> dict[str, Any]:
    """cleaned_data → JSON values (dates as ISO text, decimals as numbers), empty optional values dropped."""
    data: dict[str, Any] = {}
    for name, value in cleaned.items():
        if value in (None, ""):
            continue
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = int(value) if value == value.to_integral_value() else float(value)
        data[name] = value
    return data
