"""Who may read the reports of which unit, and the scope of a report read from a query (API, exports).

Reports are for those who watch units: supervisors and leaders (ARCHITECTURE.md §1), on the agencies
of their grants, sub-agencies included when the grant says so. A query names the unit by its code, the
period by local dates (both included), and optionally one sector or one procedure by code; every
refusal is a ``DomainError`` with a stable code, the field it concerns, and changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure, Sector
from motcua.core.exceptions import PermissionDenied, ValidationFailed
from motcua.identity.constants import Role
from motcua.identity.selectors import agencies_for, covers, has_role
from motcua.reports.indicators import Scope

REPORT_ROLES = (Role.UNIT_LEADER, Role.SUPERVISOR)
MAX_YEARS = 5  # a longer period is a mistake more often than a wish, and costs the most to compute


class ReportQueryInvalid(ValidationFailed):
    """A report query that cannot be answered; ``details`` maps the query's parameter to messages."""

    code = "report_query_invalid"


class ReportAgencyForbidden(PermissionDenied):
    code = "report_agency_forbidden"
    default_message = _("You may not read the reports of this agency.")


def may_read_reports(user: Any) -> bool:
    return has_role(user, REPORT_ROLES)


def report_agencies(user: Any) -> QuerySet[Agency]:
    """Agencies whose reports the user may read (sub-agencies of a grant included)."""
    return agencies_for(user, REPORT_ROLES).filter(is_active=True).order_by("path")


def _refuse(code: str, field: str, message: Any) -> ReportQueryInvalid:
    return ReportQueryInvalid(message, code=code, details={field: [str(message)]})


def _date(value: date | str | None, field: str) -> date:
    if isinstance(value, date):
        return value
    text = (value or "").strip()
    if not text:
        raise _refuse("report_dates_invalid", field, _("Give a date like 2026-03-31."))
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _refuse(
            "report_dates_invalid", field, _("“%(value)s” is not a date like 2026-03-31.") % {"value": text}
        ) from None


def years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def report_period(start: date | str | None, end: date | str | None, *, max_years: int = MAX_YEARS) -> tuple[date, date]:
    first, last = _date(start, "from"), _date(end, "to")
    if last < first:
        raise _refuse("report_dates_invalid", "to", _("The end of the period must not be before its start."))
    if last >= years_later(first, max_years):
        raise _refuse(
            "report_range_too_long",
            "to",
            _("A report covers at most %(years)d years; choose a shorter period.") % {"years": max_years},
        )
    return first, last


def report_scope(
    user: Any,
    *,
    agency: str | None,
    start: date | str | None,
    end: date | str | None,
    sector: str | None = "",
    procedure: str | None = "",
    max_years: int = MAX_YEARS,
) -> Scope:
    """The scope of a report the user asked for, checked: an active agency the user may report on, a
    period of at most ``max_years`` years, an existing sector and procedure (codes)."""
    code = (agency or "").strip().upper()
    if not code:
        raise _refuse("agency_unknown", "agency", _("Give the code of an agency, e.g. H99.101."))
    unit = Agency.objects.filter(code=code, is_active=True).first()
    if unit is None:
        raise _refuse("agency_unknown", "agency", _("No active agency has the code “%(code)s”.") % {"code": code})
    if not covers(user, REPORT_ROLES, unit):
        raise ReportAgencyForbidden()
    first, last = report_period(start, end, max_years=max_years)
    sector_id = procedure_id = None
    if sector_code := (sector or "").strip():
        sector_id = Sector.objects.filter(code=sector_code).values_list("pk", flat=True).first()
        if sector_id is None:
            raise _refuse("sector_unknown", "sector", _("No sector has the code “%(code)s”.") % {"code": sector_code})
    if procedure_code := (procedure or "").strip():
        procedure_id = Procedure.objects.filter(code=procedure_code).values_list("pk", flat=True).first()
        if procedure_id is None:
            raise _refuse(
                "procedure_unknown", "procedure", _("No procedure has the code “%(code)s”.") % {"code": procedure_code}
            )
    return Scope(agency=unit, start=first, end=last, sector_id=sector_id, procedure_id=procedure_id)
