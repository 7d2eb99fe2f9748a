"""Codes and date format of the national public-service portal (DOMAIN.md §5 and §12).

Dates travel as ``yyyyMMddHHmmss`` in Asia/Ho_Chi_Minh; statuses, channels and applicant types as the
national codes kept in ``dossiers.constants`` (one total table each).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

NATIONAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
NATIONAL_DATETIME = "%Y%m%d%H%M%S"


def national_datetime(value: datetime | None) -> str:
    """An aware datetime as the portal writes it ('' for none)."""
    return value.astimezone(NATIONAL_ZONE).strftime(NATIONAL_DATETIME) if value is not None else ""


def parse_national_datetime(text: str) -> datetime | None:
    """The portal's ``yyyyMMddHHmmss`` (Hà Nội time) as an aware datetime; '' gives None; bad text raises
    ValueError."""
    text = (text or "").strip()
    if not text:
        return None
    if len(text) != 14 or not text.isdigit():
        raise ValueError(f"not a national date-time: {text!r}")
    return datetime.strptime(text, NATIONAL_DATETIME).replace(tzinfo=NATIONAL_ZONE)
