"""Validate API responses against the committed openapi.yaml (OpenAPI 3.1 = JSON Schema 2020-12)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC = Path(__file__).resolve().parent.parent / "openapi.yaml"


@cache
def spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC.read_text(encoding="utf-8"))


def response_schema(path: str, method: str, status: int) -> dict[str, Any]:
    responses = spec()["paths"][path][method.lower()]["responses"]
    entry = responses.get(str(status)) or responses[f"{str(status)[0]}XX"]
    content = entry["content"]
    return next(iter(content.values()))["schema"]


def assert_matches_spec(response: Any, path: str, method: str = "get") -> None:
    """``path`` is the templated path of openapi.yaml, e.g. ``/api/v1/procedures/{code}``."""
    resource = Resource.from_contents(spec(), default_specification=DRAFT202012)
    registry = Registry().with_resource("urn:motcua:openapi", resource)
    schema = {"$ref": "urn:motcua:openapi#" + _pointer(response_schema(path, method, response.status_code))}
    Draft202012Validator(schema, registry=registry).validate(response.json())


def _pointer(schema: dict[str, Any]) -> str:
    ref = schema.get("$ref")
    if ref is None:
        raise AssertionError("inline response schemas are not used by this API")
    return ref.removeprefix("#")
