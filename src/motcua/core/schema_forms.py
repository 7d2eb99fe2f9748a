"""Django form fields from a procedure's e-form JSON Schema, so portal and back office render one form.

Only presentation: the dossier services validate the submitted data against the schema again.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms


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
        for name, spec in (schema.get("properties") or {}).items()
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
