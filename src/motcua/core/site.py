"""Absolute links to this site, for what leaves it: QR codes on paper, e-mails, SMS.

Every absolute URL is built here from ``settings.SITE_URL`` (``MOTCUA_SITE_URL``; ``make demo`` sets it
from its port), never from a request's host nor a fixed port.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.urls import reverse

_CODE = "CODE"  # stands for a dossier code (letters, digits, dots and dashes: nothing to quote)


def absolute_url(path: str) -> str:
    """``path`` (starting with "/") under the site's public address."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def tracking_url(code: str) -> str:
    """The public tracking page of a dossier (portal:track-dossier)."""
    head, tail = _tracking_path()
    return absolute_url(f"{head}{code}{tail}")


@cache
def _tracking_path() -> tuple[str, str]:
    # Reversed once: notifications build this link for every event, on the intake's hot path.
    head, tail = reverse("portal:track-dossier", kwargs={"code": _CODE}).split(_CODE)
    return head, tail
