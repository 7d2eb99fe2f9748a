"""Public tracking: one dossier by its code plus a second factor (ARCHITECTURE.md §4.5).

The code is printed on the receipt and encoded in its QR code, so it is not a secret on its own: the
caller must also know the last 4 digits of the applicant's phone or ID number. A miss never says which
of the two was wrong, and both candidates are compared in constant time.
"""

from __future__ import annotations

import hmac
import re

from motcua.dossiers.models import Dossier

FACTOR = re.compile(r"[0-9]{4}")
_NO_MATCH = "----"  # never equal to 4 digits: stands in for a phone or ID with fewer than 4 digits
_NOT_DIGITS = re.compile(r"[^0-9]")


def last_digits(value: str) -> str:
    digits = _NOT_DIGITS.sub("", value or "")
    return digits[-4:] if len(digits) >= 4 else _NO_MATCH


def dossier_track(code: str, factor: str) -> Dossier | None:
    """The dossier with this code whose applicant's phone or ID number ends with ``factor``, else None."""
    if not FACTOR.fullmatch(factor or ""):
        return None
    code = (code or "").strip().upper()
    dossier = None
    if code and len(code) <= Dossier._meta.get_field("code").max_length:  # type: ignore[operator]
        dossier = (
            Dossier.objects.select_related("procedure", "receiving_agency", "competent_agency")
            .prefetch_related("events")
            .filter(code=code)
            .first()
        )
    phone = last_digits(dossier.applicant_phone) if dossier else _NO_MATCH
    id_number = last_digits(dossier.applicant_id_number) if dossier else _NO_MATCH
    # Both comparisons always run, so the time taken does not tell which candidate matched.
    phone_ok = hmac.compare_digest(phone, factor)
    id_ok = hmac.compare_digest(id_number, factor)
    if dossier is None or not (phone_ok | id_ok):
        return None
    return dossier


def masked_name(name: str) -> str:
    """Show only the initials of each word: "Nguyễn Thị Lan" -> "N***** T** L**"."""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split())
