"""OpenAPI post-processing: every operation documents its problem+json errors."""

from __future__ import annotations

from typing import Any

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details; `code` is stable and meant for programs.",
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {"type": "string", "example": "validation_failed"},
        "detail": {"type": "string"},
        "errors": {
            "description": "Field (or row) → messages, for validation problems.",
            "type": "object",
            "additionalProperties": True,
        },
    },
    "required": ["type", "title", "status", "code"],
}


def add_problem_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            responses.setdefault("4XX", {"description": "Client error (problem+json).", "content": problem})
    return result
