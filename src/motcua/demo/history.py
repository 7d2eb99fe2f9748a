"""The demo's year of history: what ``make setup`` loads after the province so that a newcomer's
dashboard, inboxes, tracking book and reports show real numbers.

``demo_history_load`` seeds ``synthetic_seed`` once (10,000 dossiers over the 365 days before the start
of the current hour, seed 1), rebuilds the daily and monthly counts from the event log, and records
what it did in ``DemoHistory`` in the same transaction: a second run finds the record and adds nothing;
a run that fails leaves nothing behind. The demo staff hold only a few open dossiers each
(``DEMO_INBOX_CAP``; the rest wait in their unit's pool), so that the dossier a newcomer submits in the
walk-through is easy to find in their inboxes.
"""

from __future__ import annotations

import time as clock
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from motcua.demo.models import DemoHistory
from motcua.demo.province import demo_agencies
from motcua.demo.synthetic import SeedReport, synthetic_seed
from motcua.workflow.book_entries import book_entries_backfill
from motcua.workflow.stats import stats_rebuild

DEMO_HISTORY_DOSSIERS = 10_000
DEMO_HISTORY_DAYS = 365
DEMO_HISTORY_SEED = 1
DEMO_INBOX_CAP = 5
# The demo staff's commune and department get these shares of the dossiers (the department offers one
# procedure and would otherwise see about one dossier a year).
DEMO_AGENCY_SHARES = {"commune": 0.06, "department": 0.03}


@dataclass(frozen=True)
class HistoryOutcome:
    record: DemoHistory
    created: bool
    report: SeedReport | None = None
    stat_rows: int = 0

    def lines(self) -> list[str]:
        if not self.created:
            return [f"demo history already loaded: {self.record} (nothing added)"]
        assert self.report is not None
        return [
            *self.report.lines(),
            f"daily and monthly counts rebuilt from the events: {self.stat_rows} daily rows; "
            f"{self.record.seconds:.1f} s in all",
        ]


def history_end(now: datetime) -> datetime:
    """The start of the current hour (local time): the history ends before now, and runs within the
    same hour give the same rows."""
    return timezone.localtime(now).replace(minute=0, second=0, microsecond=0)


def demo_history_load(
    *,
    dossiers: int = DEMO_HISTORY_DOSSIERS,
    days: int = DEMO_HISTORY_DAYS,
    seed: int = DEMO_HISTORY_SEED,
    inbox_cap: int = DEMO_INBOX_CAP,
    until: datetime | None = None,
) -> HistoryOutcome:
    """Load the demo history unless one was loaded (then return its record, unchanged). Needs the demo
    province (``load_demo_province``); ``until`` defaults to ``history_end(now)`` and must not be later
    than now (reports read the current month's counts as "up to now")."""
    now = timezone.now()
    until = until or history_end(now)
    if until > now:
        raise ValueError("the history must end before now")
    began = clock.perf_counter()
    with transaction.atomic():
        existing = DemoHistory.objects.select_for_update().order_by("pk").first()
        if existing is not None:
            return HistoryOutcome(record=existing, created=False)
        places = demo_agencies()
        report = synthetic_seed(
            dossiers=dossiers,
            seed=seed,
            until=until,
            inbox_cap=inbox_cap,
            days=days,
            agency_shares={places[where].code: share for where, share in DEMO_AGENCY_SHARES.items()},
        )
        rows = stats_rebuild()
        book_entries_backfill()  # the receipts of the history print their tracking-book entries
        record = DemoHistory.objects.create(
            seed=seed, dossiers=dossiers, days=days, until=until, seconds=round(clock.perf_counter() - began, 1)
        )
    return HistoryOutcome(record=record, created=True, report=report, stat_rows=rows)
