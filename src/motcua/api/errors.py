"""Every API error is application/problem+json (RFC 9457) with a stable ``code``."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

from motcua.core.exceptions import DomainError
from motcua.core.problem import CONTENT_TYPE, PROBLEM_TYPE, problem

_DRF_CODES = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    exceptions.ParseError: "malformed_request",
    exceptions.ValidationError: "validation_failed",
}
# Field error codes that name the whole refusal: bounds on input (docs/security.md). The first one
# found, in this order, becomes the problem's ``code``; every message stays in ``errors``.
_PROMOTED_CODES = {
    "null_characters_not_allowed": "nul_character",  # DRF's own code for a NUL in a text field
    "nul_character": "nul_character",
    "too_many_documents": "too_many_documents",
    "text_too_long": "text_too_long",
}


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        body = problem(status_code=exc.status, code=exc.code, title=str(exc.message), errors=exc.details)
        return Response(body, status=exc.status, content_type=CONTENT_TYPE)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = _code_of(exc)
    if isinstance(exc, exceptions.ValidationError):
        body = problem(
            status_code=response.status_code, code=code, title=str(_validation_title()), errors=response.data
        )
    else:
        detail = getattr(exc, "detail", "")
        body = problem(status_code=response.status_code, code=code, title=str(detail))
    response.data = body
    response.content_type = CONTENT_TYPE
    return response


def _code_of(exc: Exception) -> str:
    if isinstance(exc, exceptions.ValidationError):
        found = set(_flat_codes(exc.get_codes()))
        promoted = next((stable for drf, stable in _PROMOTED_CODES.items() if drf in found), None)
        if promoted:
            return promoted
    # A raise that names its own code (``TokenRefused(..., code="token_expired")``) keeps it; then an
    # exception class of ours names its code (api.parsers); DRF's own get the names above.
    detail_code = getattr(getattr(exc, "detail", None), "code", None)
    if isinstance(exc, exceptions.APIException) and detail_code and detail_code != exc.default_code:
        return str(detail_code)
    own = getattr(type(exc), "default_code", None) if type(exc).__module__.startswith("motcua.") else None
    if own:
        return str(own)
    return next((c for cls, c in _DRF_CODES.items() if isinstance(exc, cls)), str(detail_code or "error"))


def _flat_codes(codes: Any) -> list[str]:
    """Every code of a nested DRF error structure, without recursion (its depth is the input's)."""
    found, stack = [], [codes]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        else:
            found.append(str(item))
    return found


def _validation_title() -> str:
    from django.utils.translation import gettext

    return gettext("Some values are not valid.")


__all__ = ["CONTENT_TYPE", "PROBLEM_TYPE", "problem", "problem_exception_handler"]
