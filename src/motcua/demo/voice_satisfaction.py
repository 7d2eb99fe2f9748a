"""Demo satisfaction ratings: a third of the returned dossiers of the demo province rated soon after
their return, so that the dashboard's satisfaction indicator and the ratings report show figures.

The demo history (``demo.history``) writes its dossiers and events as rows, not through the workflow; the
ratings of those dossiers are written the same way, at the time of each return, and the daily counts of
the days they touch are set from the ratings, so that the counts equal the ratings as when
``satisfaction.services.rating_record`` writes them. Idempotent: a rated dossier is never rated again.
Before the history is loaded (the first ``load_demo`` of ``make setup``) there is nothing to rate.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.satisfaction.constants import Level, RatingChannel
from motcua.satisfaction.models import Rating, SatisfactionDayStat
from motcua.workflow.constants import Action

EVERY = 3  # one returned dossier in three is rated
MAX_RATINGS = 1500
# (upper bound of a 0-99 draw, level): about 70 % very satisfied, 22 % satisfied, 8 % not satisfied.
DRAWS = [(70, Level.VERY_SATISFIED), (92, Level.SATISFIED), (100, Level.NOT_SATISFIED)]
COMPLAINTS = [
    "Phải chờ lâu tại quầy.",
    "Trả kết quả chậm so với giấy hẹn.",
    "Hướng dẫn chưa rõ, phải đi lại nhiều lần.",
]


def _draw(code: str, salt: str) -> int:
    """A number 0-99 fixed by the dossier's code: the same demo on every machine."""
    return int(hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()[:8], 16) % 100


def _level(code: str, salt: str) -> str:
    draw = _draw(code, salt)
    return next(level for bound, level in DRAWS if draw < bound)


def load(places: dict[str, Any]) -> None:
    province = places["province"]
    if Rating.objects.filter(agency__path__startswith=province.path).exists():
        return  # loaded once: a second run would rate the next window of dossiers
    rated = Rating.objects.values("dossier_id")
    candidates = list(
        Dossier.objects.filter(status=Status.RETURNED, competent_agency__path__startswith=province.path)
        .exclude(pk__in=rated)
        .order_by("-pk")
        .values_list("pk", "code", "competent_agency_id", "desk_id", "channel")[: MAX_RATINGS * EVERY]
    )
    chosen = [row for row in candidates if row[0] % EVERY == 0]
    if not chosen:
        return
    ids = [row[0] for row in chosen]
    returned_at = dict(
        DossierEvent.objects.filter(dossier_id__in=ids, action=Action.RETURN_RESULT).values_list("dossier_id", "at")
    )
    received_by: dict[int, int] = {}
    for dossier_id, actor_id in (
        DossierEvent.objects.filter(dossier_id__in=ids, action=Action.RECEIVE)
        .order_by("-at", "-id")
        .values_list("dossier_id", "actor_id")
    ):
        received_by[dossier_id] = actor_id  # the first reception wins (rows come newest first)
    now = timezone.now()
    ratings = []
    for pk, code, agency_id, desk_id, channel in chosen:
        at = min(returned_at.get(pk, now) + timedelta(minutes=5 + _draw(code, "delay")), now)
        level = _level(code, "overall")
        at_desk = channel != "online"
        ratings.append(
            Rating(
                dossier_id=pk,
                level=level,
                scores={criterion: _level(code, criterion) for criterion in ("attitude", "time", "clarity")},
                comment=COMPLAINTS[_draw(code, "comment") % len(COMPLAINTS)] if level == Level.NOT_SATISFIED else "",
                channel=RatingChannel.DESK if at_desk else RatingChannel.ONLINE,
                agency_id=agency_id,
                desk_id=desk_id,
                officer_id=received_by.get(pk),
                recorded_by_id=received_by.get(pk) if at_desk else None,
                rated_at=at,
            )
        )
    with transaction.atomic():
        Rating.objects.bulk_create(ratings, ignore_conflicts=True)
        _recount({(r.agency_id, timezone.localdate(r.rated_at)) for r in ratings})


def _recount(days: set[tuple[int, date]]) -> None:
    """Set the daily counts of ``days`` (unit, local day) from the ratings of those days."""
    zone = timezone.get_current_timezone()
    for agency_id, day in sorted(days):
        start = datetime.combine(day, time.min, tzinfo=zone)
        levels = list(
            Rating.objects.filter(
                agency_id=agency_id, rated_at__gte=start, rated_at__lt=start + timedelta(days=1)
            ).values_list("level", flat=True)
        )
        SatisfactionDayStat.objects.update_or_create(
            agency_id=agency_id,
            day=day,
            defaults={level: levels.count(level) for level in Level.values},
        )
