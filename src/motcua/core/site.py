"""Absolute links to this site, for what leaves it: QR codes on paper, e-mails, SMS.

Every absolute URL is built here from ``settings.SITE_URL`` (``MOTCUA_SITE_URL``; ``make demo`` sets it
from its port), never from a request's host nor a fixed port.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.core import signing
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


# -- The satisfaction rating link of a dossier (sent in the result's notification) --------------------

_RATING_SALT = "motcua.satisfaction.rating-link"


def rating_token(code: str) -> str:
    """A token naming a dossier's code, signed with the site's secret: whoever holds the notification may
    rate, nobody can rate another dossier by changing the code."""
    return signing.Signer(salt=_RATING_SALT).sign(code)


def rating_code(token: str) -> str | None:
    """The dossier code a rating token names, or None when it was not made by ``rating_token``."""
    try:
        return signing.Signer(salt=_RATING_SALT).unsign(token)
    except signing.BadSignature:
        return None


def rating_url(code: str) -> str:
    """The rating page of a dossier, to put in a message (portal:rate)."""
    return absolute_url(reverse("portal:rate", kwargs={"token": rating_token(code)}))
