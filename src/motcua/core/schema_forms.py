"""Django form fields from a procedure's e-form JSON Schema, so portal and back office render one form.

Only presentation: the dossier services validate the submitted data against the schema again.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms

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


def _field(spec: dict[str, Any], *, required: bool) -> forms.Field:
    label = spec.get("title") or ""
    common: dict[str, Any] = {"label": label, "required": required, "help_text": spec.get("description", "")}
    kind = spec.get("type")
    if "enum" in spec:
        choices = [("", "—")] if not required else []
        return forms.ChoiceField(choices=choices + [(str(v), str(v)) for v in spec["enum"]], **common)
    if kind == "boolean":
        return forms.BooleanField(**{**common, "required": False})
    if kind == "integer":
        return forms.IntegerField(min_value=spec.get("minimum"), max_value=spec.get("maximum"), **common)
    if kind == "number":
        return forms.DecimalField(min_value=spec.get("minimum"), max_value=spec.get("maximum"), **common)
    if spec.get("format") == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    max_length = spec.get("maxLength")
    widget = forms.Textarea(attrs={"rows": 3}) if (max_length or 0) > 255 else None
    return forms.CharField(max_length=max_length, min_length=spec.get("minLength"), widget=widget, **common)


def schema_form_class(schema: dict[str, Any]) -> type[forms.Form]:
    """A Form class with one field per top-level property, in the schema's order."""
    required = set(schema.get("required", []))
    fields = {
        name: _field(spec, required=name in required)
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
