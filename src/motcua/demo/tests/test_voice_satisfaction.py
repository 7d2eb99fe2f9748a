"""The demo's ratings (demo.voice_satisfaction): a third of the history's returned dossiers, counted in the
daily counts exactly as the ratings say; a second load adds nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from motcua.demo import voice_satisfaction
from motcua.demo.history import demo_history_load
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.identity.constants import Role
from motcua.satisfaction.constants import Level
from motcua.satisfaction.models import Rating, SatisfactionDayStat
from tests.factories import make_staff


@pytest.fixture
def history(province: dict[str, Any], catalog: Any, monday_morning: Any) -> None:
    for agency in (province["commune_a"], province["department"]):
        for role in (Role.DESK_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER, Role.CLERK):
            make_staff(role, agency)
    demo_history_load(dossiers=300)


def test_the_demo_rates_a_third_of_the_returned_dossiers_once(province, history) -> None:
    voice_satisfaction.load({"province": province["province"]})
    first = list(Rating.objects.order_by("dossier_id").values_list("dossier_id", "level", "rated_at"))
    voice_satisfaction.load({"province": province["province"]})

    returned = set(Dossier.objects.filter(status=Status.RETURNED).values_list("pk", flat=True))
    assert first and {pk for pk, _level, _at in first} == {pk for pk in returned if pk % 3 == 0}
    assert list(Rating.objects.order_by("dossier_id").values_list("dossier_id", "level", "rated_at")) == first
    assert all(at <= timezone.now() for _pk, _level, at in first)
    by_day: dict[tuple[int, Any], dict[str, int]] = {}
    for rating in Rating.objects.all():
        counts = by_day.setdefault(
            (rating.agency_id, timezone.localdate(rating.rated_at)), dict.fromkeys(Level.values, 0)
        )
        counts[rating.level] += 1
    stats = {
        (row.agency_id, row.day): {
            "very_satisfied": row.very_satisfied,
            "satisfied": row.satisfied,
            "not_satisfied": row.not_satisfied,
        }
        for row in SatisfactionDayStat.objects.all()
    }
    assert stats == by_day
    assert (
        Rating.objects.filter(level=Level.NOT_SATISFIED).exclude(comment="").count()
        == Rating.objects.filter(level=Level.NOT_SATISFIED).count()
    )
