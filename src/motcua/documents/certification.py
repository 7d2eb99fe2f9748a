"""Certified electronic copies from originals, pure rules: the fee by pages, the book's volume, the code.

Law: Nghị định 23/2015/NĐ-CP (chứng thực: art. 5 competence, art. 13 the certification book, art. 18–20
certifying a copy from its original), Nghị định 45/2020/NĐ-CP art. 14 (the certified electronic copy is the
scan of the original signed with the certifying agency's digital signature), Thông tư 01/2020/TT-BTP (the
wording, the book), Thông tư 226/2016/TT-BTC (the fee: 2,000 đồng a page for the first and second page,
1,000 đồng a page from the third, at most 200,000 đồng a copy).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from motcua.documents import codes
from motcua.documents.constants import CERTIFIED_COPY_PROCEDURE_CODES

# Thông tư 226/2016/TT-BTC: the first rate covers the first and second page of a copy.
FIRST_RATE_PAGES = 2
# Thông tư 01/2020/TT-BTP: the wording written on the copy.
STATEMENT = "Chứng thực bản sao đúng với bản chính"
# The book of certified copies from originals (Sổ chứng thực bản sao từ bản chính), one volume a year.
BOOK_SUFFIX = "SCT/BS"


def certified_copy_procedure_codes() -> tuple[str, ...]:
    """The procedure codes whose output is a certified electronic copy (one setting, for the indicators)."""
    configured = getattr(settings, "MOTCUA_CERTIFIED_COPY_PROCEDURES", None)
    return tuple(configured) if configured else CERTIFIED_COPY_PROCEDURE_CODES


def is_certified_copy_procedure(procedure_code: str) -> bool:
    return procedure_code in certified_copy_procedure_codes()


@dataclass(frozen=True)
class PageFeeRule:
    """A fee by pages: ``first_amount`` a page up to ``FIRST_RATE_PAGES``, ``next_amount`` a page after,
    at most ``cap`` a copy (None: no cap)."""

    first_amount: int
    next_amount: int
    cap: int | None


PER_PAGE_NOTE = "đồng/trang"
PER_COPY_NOTE = "đồng/bản"


def fee_rule_from(fees: Iterable[tuple[int, str]]) -> PageFeeRule:
    """The rule from the procedure's fee rows (amount, note) in catalog order: the rows whose note starts
    "Đồng/trang" are the page rates (the first for pages 1–2, the second from page 3; one row: the same
    rate for every page), the row whose note starts "Đồng/bản" is the cap of a copy."""
    rows = [(amount, note.strip().lower()) for amount, note in fees]
    per_page = [amount for amount, note in rows if note.startswith(PER_PAGE_NOTE)]
    caps = [amount for amount, note in rows if note.startswith(PER_COPY_NOTE)]
    first = per_page[0] if per_page else 0
    return PageFeeRule(
        first_amount=first, next_amount=per_page[1] if len(per_page) > 1 else first, cap=caps[0] if caps else None
    )


def copy_fee(pages: int, rule: PageFeeRule, copies: int = 1) -> int:
    """The fee of ``copies`` copies of a ``pages``-page original: 1 page 2,000; 2 pages 4,000; 3 pages 5,000;
    250 pages 200,000 (capped) under Thông tư 226/2016/TT-BTC."""
    if pages < 1 or copies < 1:
        return 0
    one = rule.first_amount * min(pages, FIRST_RATE_PAGES) + rule.next_amount * max(pages - FIRST_RATE_PAGES, 0)
    if rule.cap is not None:
        one = min(one, rule.cap)
    return one * copies


def vnd(amount: int) -> str:
    """An amount in đồng as Vietnamese papers write it: 200.000."""
    return f"{amount:,}".replace(",", ".")


def volume_label(year: int, volume: int = 1) -> str:
    """``01/2026-SCT/BS``: volume number, year, book kind (Thông tư 01/2020/TT-BTP)."""
    return f"{volume:02d}/{year}-{BOOK_SUFFIX}"


def copy_reference(*, agency_code: str, year: int, number: int) -> str:
    """The copy's reference inside its code: ``CT.<agency code>.<year>.<6-digit certification number>``."""
    return f"CT.{codes.code_part(agency_code)}.{year}.{number:06d}"


def copy_prefix(*, owner_id_number: str, agency_code: str, year: int, number: int) -> str:
    """A certified copy is coded like a result: ``<owner>.CT.<agency>.<year>.<number>.<NN>``."""
    return f"{owner_id_number}.{copy_reference(agency_code=agency_code, year=year, number=number)}"


def result_number(*, number: int, volume: str) -> str:
    """How the copy's number reads on the dossier: "Số 15, quyển số 01/2026-SCT/BS"."""
    return f"Số {number}, quyển số {volume}"
