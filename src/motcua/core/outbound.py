"""Calls to external services: one place for timeouts, JSON, signatures and what counts as retryable.

Adapters (``integrations``, ``notifications``, ``identity``) call ``call_json``; it raises
``OutboundError`` with ``retryable`` set when trying again later may succeed (network failure, timeout,
HTTP 408/425/429/5xx), so the caller's outbox decides between a retry and a dead letter. Nothing here
retries by itself: retries belong to the task queue, which survives a restart.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from typing import Any

import requests

logger = logging.getLogger("motcua.outbound")

RETRYABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
DEFAULT_TIMEOUT_SECONDS = 10.0


class OutboundError(Exception):
    """A call to an external service that did not succeed."""

    def __init__(self, message: str, *, http_status: int | None = None, retryable: bool, body: Any = None) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.retryable = retryable
        self.body = body


def hmac_sha256(secret: str, message: bytes | str) -> str:
    """Hex HMAC-SHA-256 of ``message``: how our adapters sign requests and check a service's callbacks."""
    data = message.encode("utf-8") if isinstance(message, str) else message
    return hmac.new(secret.encode("utf-8"), data, hashlib.sha256).hexdigest()


def signature_matches(secret: str, message: bytes | str, signature: str) -> bool:
    return hmac.compare_digest(hmac_sha256(secret, message), (signature or "").strip().lower())


def canonical_json(payload: Any) -> bytes:
    """The bytes that are signed and sent: sorted keys, no spaces, UTF-8 (the same on both sides)."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


_session = requests.Session()  # connection reuse per process; requests' Session is thread-safe for this use


def call_json(
    method: str,
    url: str,
    *,
    payload: Any = None,
    headers: dict[str, str] | None = None,
    params: dict[str, Any] | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    body: bytes | None = None,
) -> Any:
    """Send ``payload`` as JSON (or the raw ``body``) and return the decoded JSON answer, or raise
    ``OutboundError``. A 2xx answer that is not JSON returns ``None``."""
    data = body if body is not None else (canonical_json(payload) if payload is not None else None)
    head = {"Accept": "application/json", **(headers or {})}
    if data is not None:
        head.setdefault("Content-Type", "application/json; charset=utf-8")
    try:
        response = _session.request(method, url, data=data, headers=head, params=params, timeout=timeout)
    except requests.Timeout as exc:
        raise OutboundError(f"{method} {url}: timed out after {timeout} s", retryable=True) from exc
    except requests.RequestException as exc:
        raise OutboundError(f"{method} {url}: {type(exc).__name__}", retryable=True) from exc
    try:
        answer = response.json() if response.content else None
    except ValueError:
        answer = None
    if response.status_code >= 400:
        raise OutboundError(
            f"{method} {url}: HTTP {response.status_code}",
            http_status=response.status_code,
            retryable=response.status_code in RETRYABLE_STATUSES,
            body=answer,
        )
    return answer
