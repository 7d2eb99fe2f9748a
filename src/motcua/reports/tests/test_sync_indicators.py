"""The national sync's indicators on a history built by hand (issue 15, item 7): share of the dossiers
received that are synchronised, lag p95, dead letters open, and the publicity group's sync item."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from motcua.integrations.national.sync import sync_resume
from motcua.reports.constants import IndicatorKey as K
from motcua.reports.indicators import Scope, indicators_for
from motcua.reports.scorecard import scorecard_for
from motcua.workflow.services import dossier_receive, dossier_submit_online
from tests.intake import birth_application

MARCH = {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}


def figures(agency: Any) -> dict[str, Any]:
    report = indicators_for(Scope(agency=agency, **MARCH))
    return {
        key: (report[key].value, report[key].numerator, report[key].denominator, report[key].unit)
        for key in (K.SYNC_SHARE, K.SYNC_LAG_P95, K.SYNC_DEAD_LETTERS)
    }


@pytest.fixture
def history(people, monday_morning, settings, fake_service, django_capture_on_commit_callbacks) -> Any:
    """At 09:00 on 9 March, at H99.101: A received and synchronised at once; B received while the
    portal fails (synchronised 10 s later); C received with a secret the portal refuses (a dead letter);
    D submitted only (not received: outside the share)."""
    portal = fake_service("national_portal")
    settings.MOTCUA_NATIONAL_SYNC_ENABLED = True
    settings.MOTCUA_NATIONAL_SYNC_RETRY_BASE_SECONDS = 10

    def received(*, receive: bool = True) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
        if receive:
            with django_capture_on_commit_callbacks(execute=True):
                dossier_receive(actor=people["desk"], code=dossier.code)

    received()  # A
    portal.app.set_faults(failure_rate=1.0)
    received()  # B
    portal.app.set_faults()
    settings.MOTCUA_NATIONAL_PORTAL_SECRET = "a-secret-the-portal-does-not-know"
    received()  # C
    settings.MOTCUA_NATIONAL_PORTAL_SECRET = "demo-national-portal-secret"
    received(receive=False)  # D
    return portal


def test_the_sync_figures_follow_the_history(history, province, monday_morning) -> None:
    D = Decimal
    # Delivered: A's 4 and D's 2 at once (lag 0); B waits for its retry, C is dead.
    assert figures(province["commune_a"]) == {
        K.SYNC_SHARE: (D("33.33"), 1, 3, "percent"),
        K.SYNC_LAG_P95: (D("0.000"), None, None, "seconds"),
        K.SYNC_DEAD_LETTERS: (D(1), None, None, "messages"),
    }
    monday_morning.shift(timedelta(seconds=10))
    assert sync_resume().delivered == 4  # B's four messages, 10 s after they were queued
    # 10 delivered: 6 at 0 s, 4 at 10 s; the 95th percentile by nearest rank is the 10th: 10 s.
    assert figures(province["commune_a"]) == {
        K.SYNC_SHARE: (D("66.67"), 2, 3, "percent"),
        K.SYNC_LAG_P95: (D("10.000"), None, None, "seconds"),
        K.SYNC_DEAD_LETTERS: (D(1), None, None, "messages"),
    }
    # The province rolls up its communes; another commune has nothing.
    assert figures(province["province"])[K.SYNC_SHARE] == (D("66.67"), 2, 3, "percent")
    assert figures(province["commune_b"]) == {
        K.SYNC_SHARE: (None, 0, 0, "percent"),
        K.SYNC_LAG_P95: (None, None, None, "seconds"),
        K.SYNC_DEAD_LETTERS: (D(0), None, None, "messages"),
    }


def test_the_publicity_group_scores_the_sync_share(history, province, monday_morning) -> None:
    monday_morning.shift(timedelta(seconds=10))
    sync_resume()
    groups = {g.code: g for g in scorecard_for(indicators_for(Scope(agency=province["commune_a"], **MARCH)))}
    publicity = groups["publicity"]
    assert [(i.code, i.points, i.measured, i.value, i.score) for i in publicity.items] == [
        ("publicity_all", Decimal(6), False, None, None),
        ("sync_share", Decimal(6), True, Decimal("66.67"), Decimal("4.00")),
        ("feedback_on_time", Decimal(6), True, None, None),  # issue 17: no feedback answered in March
    ]
    assert (publicity.score, publicity.measured_points, publicity.unmeasured_points) == (
        Decimal("4.00"),
        Decimal(6),
        Decimal(12),
    )


def test_with_the_sync_off_nothing_is_measured(history, province, settings) -> None:
    settings.MOTCUA_NATIONAL_SYNC_ENABLED = False
    assert figures(province["commune_a"]) == {
        K.SYNC_SHARE: (None, None, None, "percent"),
        K.SYNC_LAG_P95: (None, None, None, "seconds"),
        K.SYNC_DEAD_LETTERS: (None, None, None, "messages"),
    }
    publicity = next(
        g for g in scorecard_for(indicators_for(Scope(agency=province["commune_a"], **MARCH))) if g.code == "publicity"
    )
    assert (publicity.score, publicity.measured) == (None, False)  # "not measured yet", never 0
