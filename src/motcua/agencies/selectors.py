"""Reads of the agency tree."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from motcua.agencies.models import Agency


def agency_subtree(agency: Agency) -> QuerySet[Agency]:
    return Agency.objects.filter(path__startswith=agency.path)


def agencies_public() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).order_by("path")


def agencies_matching(paths_with_subtree: list[str], exact_ids: list[int]) -> QuerySet[Agency]:
    """Agencies whose path starts with one of the given paths, or whose id is listed."""
    condition = Q(pk__in=exact_ids)
    for path in paths_with_subtree:
        condition |= Q(path__startswith=path)
    return Agency.objects.filter(condition)
