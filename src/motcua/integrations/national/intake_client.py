"""The adapter of the national portal's pull side: its catalog, the dossiers submitted there, their files,
and the acknowledgement that a dossier was taken in.

Every request carries the province's client id and an HMAC-SHA-256 signature with
``MOTCUA_NATIONAL_PORTAL_SECRET`` (core/outbound.py): of the body for a POST, of the path and its sorted
query for a GET (``signed_message``). Files are downloaded only from the portal's own origin: a URL in a
dossier never makes us fetch from another host.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from motcua.core.outbound import RETRYABLE_STATUSES, OutboundError, call_json, canonical_json, hmac_sha256

CLIENT_HEADER = "X-Client-Id"
SIGNATURE_HEADER = "X-Signature"
CATALOG_PATH = "/api/thu-tuc"
DOSSIERS_PATH = "/api/tiep-nhan/ho-so"
ACK_PATH = "/api/tiep-nhan/ho-so/{code}/xac-nhan"
# One session per process for the downloads: a new one per file cost more than the file (bench/national_intake.py).
_files = requests.Session()


def signed_message(path: str, params: dict[str, Any] | None = None) -> str:
    """What a GET signs: the path, then ``?`` and the query sorted by name (both sides build it alike)."""
    query = urlencode(sorted((key, str(value)) for key, value in (params or {}).items()))
    return f"{path}?{query}" if query else path


def _headers(message: bytes | str) -> dict[str, str]:
    return {
        CLIENT_HEADER: settings.MOTCUA_NATIONAL_PORTAL_CLIENT_ID,
        SIGNATURE_HEADER: hmac_sha256(settings.MOTCUA_NATIONAL_PORTAL_SECRET, message),
    }


def _base() -> str:
    return str(settings.MOTCUA_NATIONAL_PORTAL_URL).rstrip("/")


def _timeout() -> float:
    return float(settings.MOTCUA_OUTBOUND_TIMEOUT_SECONDS)


def _get(path: str, params: dict[str, Any] | None = None) -> Any:
    return call_json(
        "GET", _base() + path, params=params, headers=_headers(signed_message(path, params)), timeout=_timeout()
    )


def fetch_catalog() -> Any:
    """The portal's procedure catalog (a page object, read by ``wire_in``)."""
    return _get(CATALOG_PATH)


def fetch_dossiers(*, cursor: str, limit: int) -> Any:
    """The dossiers submitted after ``cursor`` ('' = from the start), at most ``limit``."""
    params: dict[str, Any] = {"so_luong": limit}
    if cursor:
        params["tu"] = cursor
    return _get(DOSSIERS_PATH, params)


def acknowledge(*, national_code: str, local_code: str, received_at: str) -> Any:
    """Tell the portal the dossier is in the province's queue, under our code."""
    payload = {"MaHoSo": national_code, "MaHoSoDiaPhuong": local_code, "ThoiGianTiepNhan": received_at}
    body = canonical_json(payload)
    return call_json(
        "POST", _base() + ACK_PATH.format(code=national_code), body=body, headers=_headers(body), timeout=_timeout()
    )


def download(url: str, *, limit: int) -> bytes:
    """A file of a dossier, from the portal itself, read up to ``limit`` + 1 bytes (so that the upload
    checks refuse one that is too large with their own message, without reading all of it)."""
    absolute = urljoin(_base() + "/", url)
    base, target = urlsplit(_base()), urlsplit(absolute)
    if (target.scheme, target.netloc) != (base.scheme, base.netloc):
        raise OutboundError(
            _("The file is not on the national portal: %(host)s") % {"host": target.netloc}, retryable=False
        )
    path = target.path + (f"?{target.query}" if target.query else "")
    try:
        with _files.get(absolute, headers=_headers(path), timeout=_timeout(), stream=True) as response:
            if response.status_code >= 400:
                raise OutboundError(
                    f"GET {absolute}: HTTP {response.status_code}",
                    http_status=response.status_code,
                    retryable=response.status_code in RETRYABLE_STATUSES,
                )
            data = bytearray()
            for chunk in response.iter_content(1 << 16):
                data += chunk
                if len(data) > limit:
                    break
            return bytes(data[: limit + 1])
    except requests.RequestException as exc:
        raise OutboundError(f"GET {absolute}: {type(exc).__name__}", retryable=True) from exc
