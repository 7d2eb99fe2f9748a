"""Every API error is application/problem+json (RFC 9457) with a stable ``code``."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from motcua.core.exceptions import DomainError

PROBLEM_TYPE = "https://motcua.example/problems/"  # stable identifiers, not fetched
CONTENT_TYPE = "application/problem+json"

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


def problem(*, status_code: int, code: str, title: str, detail: str = "", errors: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"type": PROBLEM_TYPE + code, "title": title, "status": status_code, "code": code}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    return body


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
    # A raise that names its own code (``AuthenticationFailed(..., code="token_expired")``) keeps it.
    detail_code = getattr(getattr(exc, "detail", None), "code", None)
    if (
        isinstance(exc, exceptions.APIException)
        and detail_code
        and (code == "error" or detail_code != exc.default_code)
    ):
        code = str(detail_code)
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


def api_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    body = problem(status_code=status.HTTP_404_NOT_FOUND, code="not_found", title="Not found.")
    return JsonResponse(body, status=404, content_type=CONTENT_TYPE)


def api_server_error(request: HttpRequest) -> JsonResponse:
    body = problem(status_code=500, code="server_error", title="Internal error.")
    return JsonResponse(body, status=500, content_type=CONTENT_TYPE)
