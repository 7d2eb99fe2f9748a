"""Absolute links to this site, for what leaves it: QR codes on paper, e-mails, SMS.

Every absolute URL is built here from ``settings.SITE_URL`` (``MOTCUA_SITE_URL``; ``make demo`` sets it
from its port), never from a request's host nor a fixed port.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str) -> str:
    """``path`` (starting with "/") under the site's public address."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def tracking_url(code: str) -> str:
    """The public tracking page of a dossier (portal:track-dossier)."""
    return absolute_url(reverse("portal:track-dossier", kwargs={"code": code}))
