"""Problem details (RFC 9457, application/problem+json) with a stable ``code``.

The body every API error has. It lives in core because core's own 404 and 500 handlers answer API paths
with it; ``api.errors`` builds on it (the core imports nothing from an interface).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse

PROBLEM_TYPE = "https://motcua.example/problems/"  # stable identifiers, not fetched
CONTENT_TYPE = "application/problem+json"


def problem(*, status_code: int, code: str, title: str, detail: str = "", errors: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"type": PROBLEM_TYPE + code, "title": title, "status": status_code, "code": code}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    return body


def problem_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    body = problem(status_code=404, code="not_found", title="Not found.")
    return JsonResponse(body, status=404, content_type=CONTENT_TYPE)


def problem_server_error(request: HttpRequest) -> JsonResponse:
    body = problem(status_code=500, code="server_error", title="Internal error.")
    return JsonResponse(body, status=500, content_type=CONTENT_TYPE)
