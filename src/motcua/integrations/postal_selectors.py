"""Reads of the postal return: the tariff that applies to an agency, and a dossier's shipment."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.integrations.postal_models import PostalTariff


def tariff_for(agency: Agency) -> PostalTariff | None:
    """The tariff of the nearest agency up the tree that has one, else the default row (one query)."""
    ancestors = agency.lineage
    rows = list(PostalTariff.objects.filter(Q(agency_id__in=ancestors) | Q(agency__isnull=True)).order_by("-id"))
    depth = {pk: index for index, pk in enumerate(ancestors)}
    own = [row for row in rows if row.agency_id is not None]
    if own:
        return max(own, key=lambda row: depth.get(row.agency_id or 0, -1))
    return rows[0] if rows else None


def grouped_vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đ"


def tariff_text(tariff: PostalTariff | None) -> str:
    """What the applicant reads before choosing return by post."""
    if tariff is None:
        return _("Postal delivery is charged by the postal service.")
    return _("Postal fee: %(fee)s, %(days)d more working days (not counted in the legal processing time).") % {
        "fee": grouped_vnd(tariff.fee),
        "days": tariff.extra_working_days,
    }


def tariff_notices(agencies: Iterable[Agency]) -> list[tuple[Agency | None, str]]:
    """The notice for each agency the applicant may choose; one line without agency when all agree."""
    agencies = list(agencies)
    texts = [(agency, tariff_text(tariff_for(agency))) for agency in agencies]
    if len({text for _agency, text in texts}) <= 1:
        return [(None, texts[0][1] if texts else tariff_text(None))]
    return list(texts)
