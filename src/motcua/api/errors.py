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


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        body = problem(status_code=exc.status, code=exc.code, title=str(exc.message), errors=exc.details)
        return Response(body, status=exc.status, content_type=CONTENT_TYPE)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = next((c for cls, c in _DRF_CODES.items() if isinstance(exc, cls)), "error")
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


def _validation_title() -> str:
    from django.utils.translation import gettext

    return gettext("Some values are not valid.")


__all__ = ["CONTENT_TYPE", "PROBLEM_TYPE", "problem", "problem_exception_handler"]
