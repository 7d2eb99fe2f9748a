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
    found = None
    if code and len(code) <= Dossier._meta.get_field("code").max_length:  # type: ignore[operator]
        # Only what the comparison needs: a miss does the same work whether the code exists or not.
        found = Dossier.objects.filter(code=code).values_list("pk", "applicant_phone", "applicant_id_number").first()
    pk, phone, id_number = found or (None, "", "")
    # Both comparisons always run, so the time taken does not tell which candidate matched.
    phone_ok = hmac.compare_digest(last_digits(phone), factor)
    id_ok = hmac.compare_digest(last_digits(id_number), factor)
    if pk is None or not (phone_ok | id_ok):
        return None
    return (
        Dossier.objects.select_related("procedure", "receiving_agency", "competent_agency")
        .prefetch_related("events")
        .get(pk=pk)
    )


def masked_name(name: str) -> str:
    """Show only the initials of each word: "Nguyễn Thị Lan" -> "N***** T** L**"."""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split())
