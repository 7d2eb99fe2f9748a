"""Periodic jobs run by the task worker: a registry any app adds to, and the schedule that runs them.

An app registers its job in its ``AppConfig.ready`` (core imports no app)::

    periodic.register("notifications.resend", every=timedelta(minutes=1), job=notifications_resend)

Every worker process keeps its own schedule (in memory: a restarted worker runs every job at once), so
with several workers a job may run several times a minute: jobs are idempotent and take no lock of
their own. A failing job is logged and tried again at its next time; it never stops the worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

logger = logging.getLogger("motcua.tasks")


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    job: Callable[[], object]


_registry: dict[str, PeriodicJob] = {}


def register(name: str, *, every: timedelta, job: Callable[[], object]) -> None:
    """Add a job (registering the same name again replaces it: ``ready()`` may run twice)."""
    if every <= timedelta(0):
        raise ValueError(f"periodic job {name!r} needs a positive interval")
    _registry[name] = PeriodicJob(name=name, every=every, job=job)


def unregister(name: str) -> None:
    _registry.pop(name, None)


def registered() -> list[PeriodicJob]:
    return sorted(_registry.values(), key=lambda job: job.name)


@dataclass
class Schedule:
    """When each job last ran in this worker process; ``run_due`` runs the jobs whose time has come."""

    last_run: dict[str, datetime] = field(default_factory=dict)

    def due(self, now: datetime) -> list[PeriodicJob]:
        return [
            job for job in registered() if job.name not in self.last_run or now - self.last_run[job.name] >= job.every
        ]

    def run_due(self, now: datetime | None = None) -> list[str]:
        """Run the due jobs; the names of those that ran (failed ones included: they wait their turn)."""
        now = now or timezone.now()
        ran = []
        for job in self.due(now):
            self.last_run[job.name] = now
            ran.append(job.name)
            try:
                job.job()
            except Exception:
                logger.exception("periodic job %s failed", job.name)
        return ran
