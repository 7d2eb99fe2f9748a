"""The one-line links to the rating pages, for the dossier pages of the portal and the back office: shown
only while the dossier can be rated and has no rating yet (one query)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from motcua.core.site import rating_token
from motcua.dossiers.models import Dossier
from motcua.satisfaction.selectors import is_rateable, is_rated, may_open_desk_tablet

register = template.Library()


@register.inclusion_tag("satisfaction/rating_link.html")
def applicant_rating_link(dossier: Dossier) -> dict[str, Any]:
    """On the applicant's own dossier page: the same signed page the notification links to."""
    shown = is_rateable(dossier) and not is_rated(dossier)
    url = reverse("portal:rate", kwargs={"token": rating_token(dossier.code)}) if shown else ""
    return {"url": url, "desk": False}


@register.inclusion_tag("satisfaction/rating_link.html")
def desk_rating_link(dossier: Dossier, user: Any) -> dict[str, Any]:
    """On the back-office dossier page, for a desk officer of the receiving agency."""
    shown = is_rateable(dossier) and may_open_desk_tablet(user, dossier) and not is_rated(dossier)
    url = reverse("backoffice:rating-desk", kwargs={"code": dossier.code}) if shown else ""
    return {"url": url, "desk": True}
