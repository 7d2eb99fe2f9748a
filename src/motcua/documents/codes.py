"""Digitized document codes (DOMAIN.md §3), pure.

A dossier component: ``<owner ID>.<procedure code>.<document type code>.<NN>``; a result:
``<owner ID>.<result number>.<NN>``, the result number being ``KQ.<issuer level-1 code>.<6 digits>``
(result code and reference number). NN is a running suffix per prefix, at least two digits, never reused.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date

# A component whose catalog entry names no document type is coded as "other paper".
UNTYPED = "KHAC"
_PART = re.compile(r"[^A-Z0-9.]")


def code_part(text: str) -> str:
    """A part of a code: upper case letters, digits and dots only (catalog codes are typed by people)."""
    return _PART.sub("", text.upper()) or UNTYPED


def component_prefix(*, owner_id_number: str, procedure_code: str, type_code: str) -> str:
    return f"{owner_id_number}.{code_part(procedure_code)}.{code_part(type_code or UNTYPED)}"


def result_prefix(*, owner_id_number: str, result_number: str) -> str:
    return f"{owner_id_number}.{code_part(result_number)}"


def with_suffix(prefix: str, number: int) -> str:
    return f"{prefix}.{number:02d}"


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day (31 Aug + 6 months = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def valid_until(issued_on: date, months: int | None) -> date | None:
    """The last day a document is usable; None when it does not expire."""
    return None if months is None else add_months(issued_on, months)
