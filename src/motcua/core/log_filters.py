"""Logging filters of the settings' LOGGING.

A refused request (403) is an answer, not an incident: Django logs a PermissionDenied raised by a view
with its traceback, which buries real errors and a probing client's pattern alike. ``ForbiddenOneLine``
turns every 403 of ``django.request`` into one line that says who tried what.
"""

from __future__ import annotations

import logging
from typing import Any


class ForbiddenOneLine(logging.Filter):
    """``Forbidden: GET /can-bo/ho-so/X/ user=12 client=203.0.113.9``: method, path, user id, client."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if getattr(record, "status_code", None) != 403 or request is None:
            return True
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else "-"
        path = request.path.encode("unicode_escape").decode("ascii")  # as Django escapes it: one line
        record.msg = "Forbidden: %s %s user=%s client=%s"
        record.args = (request.method, path, user_id, _client(request))
        record.exc_info = None
        record.exc_text = None
        return True


def _client(request: Any) -> str:
    # The socket peer. Behind a proxy, the address the throttles use (MOTCUA_TRUSTED_PROXIES) is better.
    return str(request.META.get("REMOTE_ADDR") or "-")
