"""Validators for the identifiers of the field (DOMAIN.md §3). Pure functions, no database."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# QĐ 20/2020/QĐ-TTg: level-1 code is a letter and two digits (H56); lower levels append ".group".
AGENCY_CODE_CURRENT = re.compile(r"^[A-Z][0-9]{2}(\.[A-Z0-9]{1,5})*$")
# QCVN 102:2016 style, still found in catalogs: 000.00.00.H56 (groups right to left).
AGENCY_CODE_LEGACY = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9]{2}$")
AGENCY_CODE_MAX_LENGTH = 35
PROCEDURE_CODE = re.compile(r"^[0-9]\.[0-9]{6}$")
PERSONAL_ID = re.compile(r"^[0-9]{12}$")
OLD_ID_CARD = re.compile(r"^[0-9]{9}$")
TAX_CODE = re.compile(r"^[0-9]{10}(-[0-9]{3})?$")
PHONE = re.compile(r"^(\+84|0)[0-9]{9,10}$")


def agency_code_style(code: str) -> str | None:
    """Return "current" or "legacy" for a well-formed agency code, None otherwise."""
    if not code or len(code) > AGENCY_CODE_MAX_LENGTH:
        return None
    if AGENCY_CODE_LEGACY.match(code):
        return "legacy"
    if AGENCY_CODE_CURRENT.match(code):
        return "current"
    return None


def validate_agency_code(code: str) -> None:
    if agency_code_style(code) is None:
        raise ValidationError(
            _("%(code)s is not a valid agency code (e.g. H56, H56.14 or 000.00.00.H56)."),
            code="invalid_agency_code",
            params={"code": code},
        )


def validate_procedure_code(code: str) -> None:
    if not PROCEDURE_CODE.match(code or ""):
        raise ValidationError(
            _("%(code)s is not a valid national procedure code (e.g. 1.001193)."),
            code="invalid_procedure_code",
            params={"code": code},
        )


# The 63 provinces' codes of birth registration (Thông tư 59/2021/TT-BCA, Phụ lục I; numbers issued before
# the 2025 merger of provinces keep them). Codes 100-999 are countries, for citizens born abroad.
PROVINCE_CODES = frozenset(
    f"{n:03d}"
    for n in (
        1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38, 40,
        42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83,
        84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
    )
)  # fmt: skip


def personal_id_birth_year(value: str) -> int:
    """The year of birth a 12-digit number gives: its 4th digit is the century (and sex), the next two
    the year (0/1 = 1900s, 2/3 = 2000s, 4/5 = 2100s, ...)."""
    return 1900 + (int(value[3]) // 2) * 100 + int(value[4:6])


def personal_id_problem(value: str, *, today: date | None = None) -> str | None:
    """Why a 12-digit personal identification number is structurally wrong, or None.

    Structure (Thông tư 59/2021/TT-BCA, art. 7): 3 digits of the birth-registration province or
    country, 1 digit of century and sex (0/1 = 1900s, 2/3 = 2000s, 4/5 = 2100s, ...), 2 digits of
    year of birth, 6 random digits. Structure only: it never proves identity.
    """
    if not PERSONAL_ID.match(value or ""):
        return "format"
    if value[:3] not in PROVINCE_CODES and value[:3] < "100":  # 000 and the unassigned codes below 100
        return "region"
    if personal_id_birth_year(value) > (today or date.today()).year:
        return "birth_year"
    return None


def validate_personal_id(value: str) -> None:
    if personal_id_problem(value) is not None:
        raise ValidationError(
            _("The personal identification number must have 12 digits in the official structure."),
            code="invalid_personal_id",
        )


def validate_tax_code(value: str) -> None:
    if not TAX_CODE.match(value or ""):
        raise ValidationError(
            _("The enterprise code must have 10 digits, or 10 digits, a dash and 3 digits for a branch."),
            code="invalid_tax_code",
        )


def validate_phone(value: str) -> None:
    if not PHONE.match(normalize_phone(value)):
        raise ValidationError(_("Enter a Vietnamese phone number, e.g. 0912345678."), code="invalid_phone")


def normalize_phone(value: str) -> str:
    return re.sub(r"[\s.\-()]", "", value or "")


def mask(value: str, *, keep: int = 3) -> str:
    """Mask personal data in lists and logs: 001203004567 -> *********567."""
    if not value:
        return ""
    return "*" * max(len(value) - keep, 0) + value[-keep:]
