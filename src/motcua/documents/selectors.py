"""Reads of the data store. An owner reads their own store; staff read it only through a dossier."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.documents import codes
from motcua.documents.models import DigitizedDocument


def owner_documents(owner_id_number: str) -> QuerySet[DigitizedDocument]:
    return DigitizedDocument.objects.filter(store__owner_id_number=owner_id_number)


def reuse_proposals(*, owner_id_number: str, type_codes: list[str], on: date) -> dict[str, list[DigitizedDocument]]:
    """For each document type, the owner's documents of that type still valid on ``on``, newest first.

    One query on the (store, type, valid_until) index, whatever the size of the whole store."""
    wanted = sorted({codes.code_part(c) for c in type_codes if c})
    if not wanted or not owner_id_number:
        return {}
    found: dict[str, list[DigitizedDocument]] = defaultdict(list)
    rows = (
        owner_documents(owner_id_number)
        .filter(type_code__in=wanted)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .only("id", "code", "type_code", "name", "issuer", "issued_on", "valid_until", "origin", "digitized_at")
        .order_by("type_code", "-digitized_at", "-id")
    )
    for row in rows:
        found[row.type_code].append(row)
    return dict(found)


def types_held(*, owner_id_number: str, type_codes: list[str], at: datetime) -> set[str]:
    """Which of ``type_codes`` the owner's store held at ``at``: a document of that type digitized by then
    and still valid on that local day (the "applicants not asked again" indicator: docs/digitization.md).

    One query on the (store, type, valid_until) index."""
    wanted = sorted({codes.code_part(c) for c in type_codes if c})
    if not wanted or not owner_id_number:
        return set()
    on = timezone.localdate(at)
    return set(
        owner_documents(owner_id_number)
        .filter(type_code__in=wanted, digitized_at__lte=at)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by()
        .values_list("type_code", flat=True)
        .distinct()
    )
