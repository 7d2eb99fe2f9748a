"""Recording a satisfaction rating (DOMAIN.md §11; the satisfaction group of the national scorecard,
Quyết định 766/QĐ-TTg; rating of the one-stop service by the public: Nghị định 118/2025/NĐ-CP).

One rating per dossier, once its result is ready: online by the applicant (signed in, or holding the signed
link of the result's notification), or at the desk on the tablet of a desk officer of the receiving agency.
The rating is attributed to the dossier's competent agency, its desk and the desk officer who received it,
and counted in ``SatisfactionDayStat`` in the same transaction. A second rating is refused and changes
nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.audit import audit
from motcua.core.exceptions import PermissionDenied, ValidationFailed
from motcua.core.site import rating_code
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.identity.constants import Role
from motcua.identity.selectors import covers
from motcua.satisfaction.constants import RATEABLE_STATUSES, Level, RatingChannel
from motcua.satisfaction.exceptions import AlreadyRated, NotRateable
from motcua.satisfaction.models import Criterion, Rating, SatisfactionDayStat
from motcua.workflow.constants import Action

COMMENT_MAX = 2000


def _check_allowed(dossier: Dossier, channel: str, actor: Any, token: str | None) -> None:
    if channel == RatingChannel.ONLINE:
        by_link = token is not None and rating_code(token) == dossier.code
        by_account = getattr(actor, "is_authenticated", False) and dossier.applicant_id == actor.pk
        if not (by_link or by_account):
            raise PermissionDenied(_("This link does not rate this dossier."))
    elif channel == RatingChannel.DESK:
        if not covers(actor, [Role.DESK_OFFICER], dossier.receiving_agency):
            raise PermissionDenied(_("Only a desk officer of the receiving agency opens the rating tablet."))
    else:
        raise ValidationFailed(details={"channel": [_("Unknown channel.")]})


def _clean_scores(level: str, scores: dict[str, str], comment: str) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    if level not in Level.values:
        errors["level"] = [_("Choose how satisfied you are.")]
    codes = set(Criterion.objects.filter(is_active=True).values_list("code", flat=True))
    for code, value in scores.items():
        if code not in codes:
            errors[f"scores.{code}"] = [_("Unknown criterion.")]
        elif value not in Level.values:
            errors[f"scores.{code}"] = [_("Choose how satisfied you are.")]
    if len(comment) > COMMENT_MAX or "\x00" in comment:
        errors["comment"] = [_("At most %(limit)s characters.") % {"limit": COMMENT_MAX}]
    if errors:
        raise ValidationFailed(_("Some values are not valid."), details=errors)
    return {code: value for code, value in scores.items() if value}


def receiving_officer_id(dossier: Dossier) -> int | None:
    """The desk officer who received the dossier (the actor of its reception), the one the applicant met."""
    return (
        DossierEvent.objects.filter(dossier=dossier, action=Action.RECEIVE)
        .order_by("at", "id")
        .values_list("actor_id", flat=True)
        .first()
    )


def rating_record(
    *,
    dossier: Dossier,
    level: str,
    channel: str,
    actor: Any = None,
    token: str | None = None,
    scores: dict[str, str] | None = None,
    comment: str = "",
) -> Rating:
    """Record the rating of ``dossier``; ``AlreadyRated`` (nothing changed) when it has one."""
    _check_allowed(dossier, channel, actor, token)
    if dossier.status not in RATEABLE_STATUSES:
        raise NotRateable()
    clean = _clean_scores(level, scores or {}, comment)
    if Rating.objects.filter(dossier=dossier).exists():
        raise AlreadyRated()
    now = timezone.now()
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                dossier=dossier,
                level=level,
                scores=clean,
                comment=comment.strip(),
                channel=channel,
                agency_id=dossier.competent_agency_id,
                desk_id=dossier.desk_id,
                officer_id=receiving_officer_id(dossier),
                recorded_by=actor if channel == RatingChannel.DESK else None,
                rated_at=now,
            )
            _count(rating)
            audit(actor=actor, action="satisfaction.rate", obj=rating, summary=f"{dossier.code}: {level}")
    except IntegrityError as exc:  # two taps at once: the other one won
        raise AlreadyRated() from exc
    return rating


def _count(rating: Rating) -> None:
    day = timezone.localdate(rating.rated_at)
    row, _created = SatisfactionDayStat.objects.get_or_create(agency_id=rating.agency_id, day=day)
    SatisfactionDayStat.objects.filter(pk=row.pk).update(**{rating.level: F(rating.level) + 1})
