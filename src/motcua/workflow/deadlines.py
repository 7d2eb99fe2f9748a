"""Due times of dossiers, from the procedure version's processing time and the competent agency's calendar."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from motcua.agencies.calendar import deployment_calendar
from motcua.catalog.constants import TimeUnit
from motcua.core.working_time import DurationUnit, Pause, WorkingCalendar
from motcua.dossiers.models import Dossier
from motcua.workflow.version_parts import processing_time


def calendar_of(dossier: Dossier) -> WorkingCalendar:
    """The competent agency's calendar, read once per dossier object: one action sees one calendar
    (and pays one freshness check), a later action reads it again."""
    cached: WorkingCalendar | None = getattr(dossier, "_motcua_calendar", None)
    if cached is None:
        cached = deployment_calendar(dossier.competent_agency)
        dossier._motcua_calendar = cached  # type: ignore[attr-defined]
    return cached


def calendar_with_stamp(dossier: Dossier, stamp: Any) -> None:
    """Give the dossier object its calendar from a freshness stamp the caller read with the dossier
    (``agencies.calendar.calendar_stamp_sql``): the same calendar ``calendar_of`` would read, one
    round trip fewer."""
    dossier._motcua_calendar = deployment_calendar(dossier.competent_agency, stamp=stamp)  # type: ignore[attr-defined]


def pauses_of(dossier: Dossier) -> list[Pause]:
    return [(datetime.fromisoformat(start), datetime.fromisoformat(end)) for start, end in dossier.pauses]


def due_for(dossier: Dossier) -> datetime | None:
    """The appointment (ngày hẹn trả): reception time clamped into working time, plus the processing
    time, plus every closed pause (Nghị định 118/2025/NĐ-CP: supplement and fee waits do not count).
    None when the clock has not started or the procedure has no fixed deadline."""
    version = dossier.procedure_version
    amount, unit = processing_time(version, dossier.case_code)  # the case's own time where it has one
    if dossier.received_at is None or unit == TimeUnit.NONE or amount is None:
        return None
    calendar = calendar_of(dossier)
    return calendar.due_at(
        dossier.received_at,
        amount,
        DurationUnit(unit),
        cutoff=version.cutoff,
        pauses=pauses_of(dossier),
    )
