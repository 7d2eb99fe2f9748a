"""Writes of the reports: the yearly targets, edited by administrators (issue 7, item 2; DOMAIN.md §10).

The plans set targets per year, for every unit, for one level (communes...) or for one agency; the most
specific one applies (``reports.indicators.targets_for``). Each write is audited.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.agencies.constants import AgencyLevel
from motcua.agencies.models import Agency
from motcua.core.audit import audit
from motcua.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from motcua.identity.constants import Role
from motcua.identity.selectors import covers
from motcua.reports.constants import Comparator, IndicatorKey
from motcua.reports.models import Target

FIRST_YEAR, LAST_YEAR = 2000, 2100
SOURCE_MAX_LENGTH = 255
# Indicators measured as a percentage: their targets lie between 0 and 100.
PERCENT_INDICATORS = frozenset(
    {
        IndicatorKey.ONLINE_SHARE,
        IndicatorKey.ON_TIME_SHARE,
        IndicatorKey.TIMELINESS,
        IndicatorKey.ONLINE_PROCEDURES_OFFERED,
        IndicatorKey.ONLINE_PROCEDURES_USED,
        IndicatorKey.E_RESULT_SHARE,
        IndicatorKey.RETURNED_ELECTRONIC_SHARE,
        IndicatorKey.DIGITIZED_SHARE,
        IndicatorKey.REUSE_SHARE,
        IndicatorKey.NOT_ASKED_AGAIN,
        IndicatorKey.ECOPY_OFFERED,
        IndicatorKey.ECOPY_USED,
        IndicatorKey.MOVED_ELECTRONIC,
    }
)


class TargetInvalid(ValidationFailed):
    code = "target_invalid"


class TargetForbidden(PermissionDenied):
    code = "target_forbidden"


class TargetNotFound(NotFound):
    code = "target_not_found"


def may_edit_targets(actor: Any, agency: Agency | None) -> bool:
    """Administrators set targets for the agencies they administer (sub-agencies of their grant
    included); targets for every unit or a whole level need an administrator of a whole province."""
    if agency is not None:
        return covers(actor, [Role.ADMINISTRATOR], agency)
    return any(covers(actor, [Role.ADMINISTRATOR], root) for root in Agency.objects.filter(parent=None))


def _check_year(year: Any, field: str, errors: dict[str, list[str]]) -> None:
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        errors.setdefault(field, []).append(
            _("Give a year between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )


def _checked_value(indicator: str, value: Any, errors: dict[str, list[str]]) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.setdefault("value", []).append(_("Give the target as a number, e.g. 60 or 99.5."))
        return None
    if not number.is_finite() or number < 0:
        errors.setdefault("value", []).append(_("A target cannot be negative."))
    elif indicator in PERCENT_INDICATORS and number > 100:
        errors.setdefault("value", []).append(_("A share cannot be more than 100 %."))
    elif number >= Decimal("100000000") or number != number.quantize(Decimal("0.01")):
        errors.setdefault("value", []).append(_("Give at most 8 digits before the decimal point and 2 after it."))
    return number


@transaction.atomic
def target_set(
    *,
    actor: Any,
    year: int,
    indicator: str,
    level: str,
    agency: Agency | None,
    comparator: str,
    value: Any,
    source: str,
) -> Target:
    """Set the target of one indicator for a year, for every unit (no level, no agency), for one level, or
    for one agency: creates it, or changes the one already set for the same year, indicator and scope.

    Targets are data, edited by administrators, not code (issue 7; the plans of DOMAIN.md §10).
    """
    errors: dict[str, list[str]] = {}
    _check_year(year, "year", errors)
    if indicator not in IndicatorKey.values:
        errors["indicator"] = [_("Choose an indicator from the list.")]
    level = level or ""
    if level and level not in AgencyLevel.values:
        errors["level"] = [_("Choose a level from the list.")]
    if level and agency is not None:
        errors["agency"] = [_("A target applies to a level or to one agency, not both.")]
    if comparator not in Comparator.values:
        errors["comparator"] = [_("Choose “at least” or “at most”.")]
    number = _checked_value(indicator, value, errors)
    source = (source or "").strip()
    if len(source) > SOURCE_MAX_LENGTH:
        errors["source"] = [_("The source may have at most %(n)d characters.") % {"n": SOURCE_MAX_LENGTH}]
    if errors or number is None:
        raise TargetInvalid(_("The target was not saved."), details=errors)
    number = number.quantize(Decimal("0.01"))
    if not may_edit_targets(actor, agency):
        raise TargetForbidden(_("You may not set targets for this agency."))
    target, created = Target.objects.select_for_update().get_or_create(
        year=year,
        indicator=indicator,
        level=level,
        agency=agency,
        defaults={"comparator": comparator, "value": number, "source": source},
    )
    before = {"comparator": target.comparator, "value": str(target.value), "source": target.source}
    if not created:
        target.comparator, target.value, target.source = comparator, number, source
        target.save(update_fields=["comparator", "value", "source"])
    audit(
        actor=actor,
        action="target_set",
        obj=target,
        summary=f"{year} {indicator} {level or (agency.code if agency else '*')} {comparator} {number}",
        data={"created": created, **({} if created else {"before": before})},
    )
    return target


@transaction.atomic
def target_delete(*, actor: Any, target_id: int) -> None:
    """Remove a target: the indicator falls back to the less specific one, or has none (issue 7)."""
    target = Target.objects.select_for_update(of=("self",)).select_related("agency").filter(pk=target_id).first()
    if target is None:
        raise TargetNotFound(_("No such target."))
    if not may_edit_targets(actor, target.agency):
        raise TargetForbidden(_("You may not change the targets of this agency."))
    summary = f"{target.year} {target.indicator} {target.level or (target.agency.code if target.agency else '*')}"
    data = {"comparator": target.comparator, "value": str(target.value), "source": target.source}
    target.delete()
    audit(
        actor=actor,
        action="target_delete",
        object_type="reports.Target",
        object_id=str(target_id),
        summary=summary,
        data=data,
    )


@transaction.atomic
def targets_copy_year(*, actor: Any, from_year: int, to_year: int) -> int:
    """Copy a year's targets to another year, keeping those already set there; returns how many were
    copied. Plans are usually renewed with the same figures (issue 7)."""
    errors: dict[str, list[str]] = {}
    _check_year(from_year, "from_year", errors)
    _check_year(to_year, "to_year", errors)
    if not errors and from_year == to_year:
        errors["to_year"] = [_("Choose another year to copy the targets to.")]
    if errors:
        raise TargetInvalid(_("The targets were not copied."), details=errors)
    sources = list(Target.objects.filter(year=from_year).select_related("agency"))
    if not sources:
        raise TargetInvalid(
            _("No target is set for %(year)d.") % {"year": from_year},
            details={"from_year": [_("No target is set for %(year)d.") % {"year": from_year}]},
        )
    if any(not may_edit_targets(actor, target.agency) for target in sources):
        raise TargetForbidden(_("You may not set targets for every agency of that year."))
    existing = set(Target.objects.filter(year=to_year).values_list("indicator", "level", "agency_id"))
    copies = [
        Target(
            year=to_year,
            indicator=t.indicator,
            level=t.level,
            agency=t.agency,
            comparator=t.comparator,
            value=t.value,
            source=t.source,
        )
        for t in sources
        if (t.indicator, t.level, t.agency_id) not in existing
    ]
    Target.objects.bulk_create(copies)
    audit(
        actor=actor,
        action="targets_copy_year",
        object_type="reports.Target",
        summary=f"{from_year} → {to_year}: {len(copies)}",
        data={"from_year": from_year, "to_year": to_year, "copied": len(copies), "kept": len(sources) - len(copies)},
    )
    return len(copies)
