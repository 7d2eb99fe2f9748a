"""The API's JSON parser: bounded in size and depth before any value reaches a serializer.

DRF's own JSONParser reads ``request.body`` (a 400 HTML page when the body passes
``DATA_UPLOAD_MAX_MEMORY_SIZE``) and hands nesting to ``json.loads`` (a RecursionError, a 500, on
deeply nested input). This one reads at most the limit and answers problem+json with a stable code.
"""

from __future__ import annotations

import json
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.parsers import BaseParser

MAX_JSON_DEPTH = 20  # the body is level 1; a dossier's e-form is level 2, its values 3 and below


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "request_too_large"


class JsonTooDeep(exceptions.ParseError):
    default_detail = _("The JSON body is nested too deeply.")
    default_code = "json_too_deep"


def body_limit() -> int:
    """Bytes a request body may have: ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (base64 files included)."""
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)


def json_depth(value: Any) -> int:
    """How deeply arrays and objects nest in a parsed value (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


def bounded_json(raw: bytes, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse a JSON document, refusing one nested deeper than ``max_depth``."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except RecursionError as exc:  # far deeper than the limit: the C decoder gave up
        raise JsonTooDeep() from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise exceptions.ParseError(_("The body is not valid JSON.")) from exc
    if json_depth(data) > max_depth:
        raise JsonTooDeep()
    return data


class BoundedJSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = body_limit()
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if limit and declared and str(declared).isdigit() and int(declared) > limit:
            raise RequestTooLarge()
        raw = stream.read(limit + 1) if limit else stream.read()
        if limit and len(raw) > limit:
            raise RequestTooLarge()
        return bounded_json(raw)
