"""Internal processes: the default generated from a procedure's time, validation, publication, lookup.

Rules: Nghị định 118/2025/NĐ-CP (every procedure has an internal process with the time of each step,
approved by the competent agency; the desk receives and returns, the competent unit appraises, the
leader decides). A published process is immutable; dossiers keep the version they were received under.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.agencies.models import Agency
from motcua.catalog.constants import TimeUnit, VersionStatus
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.process_models import Process, ProcessStep
from motcua.core.audit import audit
from motcua.core.exceptions import ValidationFailed
from motcua.core.rowsql import Columns, quote
from motcua.identity.constants import Role

HOURS_PER_DAY = Decimal(8)
STEP_ROLES = (Role.DESK_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER, Role.CLERK)
_QUARTER = Decimal("0.25")

# (name, role, share of the procedure's time): desk → specialist → leader → clerk → desk.
DEFAULT_SHAPE = (
    (gettext_lazy("Receive and forward"), Role.DESK_OFFICER, Decimal("0.05")),
    (gettext_lazy("Appraise and draft the result"), Role.SPECIALIST, Decimal("0.60")),
    (gettext_lazy("Approve and sign"), Role.UNIT_LEADER, Decimal("0.20")),
    (gettext_lazy("Number and issue the result"), Role.CLERK, Decimal("0.05")),
    (gettext_lazy("Return the result"), Role.DESK_OFFICER, Decimal("0.10")),
)


@dataclass(frozen=True)
class StepPlan:
    position: int
    name: str
    role: str
    unit_id: int | None = None
    hours: Decimal | None = None


class InvalidProcess(ValidationFailed):
    code = "process_invalid"


def total_hours(version: ProcedureVersion) -> Decimal | None:
    """The procedure's time as working hours (calendar days count 8 hours each), None without a deadline."""
    if version.time_amount is None or version.time_unit == TimeUnit.NONE:
        return None
    if version.time_unit == TimeUnit.WORKING_HOURS:
        return Decimal(version.time_amount)
    return Decimal(version.time_amount) * HOURS_PER_DAY


def default_steps(version: ProcedureVersion) -> list[StepPlan]:
    """Split the procedure's time over the default shape in quarter hours; the specialist gets the rest."""
    total = total_hours(version)
    steps = []
    for position, (name, role, share) in enumerate(DEFAULT_SHAPE, start=1):
        hours = None if total is None else (total * share / _QUARTER).quantize(Decimal(1), ROUND_DOWN) * _QUARTER
        steps.append(StepPlan(position, str(name), role, None, hours))
    if total is not None:
        rest = total - sum((s.hours or Decimal(0)) for s in steps)
        steps[1] = StepPlan(2, steps[1].name, steps[1].role, None, (steps[1].hours or Decimal(0)) + rest)
    return steps


def validate_steps(steps: list[StepPlan], version: ProcedureVersion) -> None:
    """A process starts and ends at the desk, has a leader who decides and a clerk right after the last
    leader step, and its step times (when the procedure has a deadline) add up to no more than it."""
    errors: list[str] = []
    roles = [s.role for s in steps]
    if len(steps) < 3 or roles[0] != Role.DESK_OFFICER or roles[-1] != Role.DESK_OFFICER:
        errors.append(_("A process starts with the desk receiving and ends with the desk returning the result."))
    if any(role not in STEP_ROLES for role in roles):
        errors.append(_("Each step is done by a desk officer, a specialist, a leader or a clerk."))
    if Role.UNIT_LEADER not in roles:
        errors.append(_("A leader must approve the result in one step."))
    else:
        last_leader = len(roles) - 1 - roles[::-1].index(Role.UNIT_LEADER)
        if last_leader + 1 >= len(roles) or roles[last_leader + 1] != Role.CLERK:
            errors.append(_("The clerk's step (numbering the result) comes right after the last leader step."))
    if any(not s.name.strip() for s in steps):
        errors.append(_("Every step needs a name."))
    total = total_hours(version)
    if total is not None:
        if any(s.hours is None or s.hours <= 0 for s in steps):
            errors.append(_("Every step needs a positive number of working hours."))
        elif (spent := Decimal(sum(s.hours or Decimal(0) for s in steps))) > total:
            errors.append(
                _("The steps take %(spent)s working hours, more than the procedure's %(total)s.")
                % {"spent": _hours(spent), "total": _hours(total)}
            )
    if errors:
        raise InvalidProcess(details={"steps": errors})


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}"


@lru_cache(maxsize=4)
def _in_force_sql(vendor: str) -> tuple[str, Columns]:
    columns = Columns(Process, "p")
    return (
        f"SELECT {columns.sql} FROM {quote(Process._meta.db_table)} p"
        " WHERE p.procedure_id = %s AND p.agency_id = %s AND p.status = %s ORDER BY p.number DESC LIMIT 1",
        columns,
    )


def process_in_force(*, procedure_id: int, agency_id: int) -> Process | None:
    """The agency's published process for the procedure (read at every reception: SQL built once)."""
    sql, columns = _in_force_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [procedure_id, agency_id, VersionStatus.PUBLISHED.value])
        row = cursor.fetchone()
    return None if row is None else columns.instance(row)


@lru_cache(maxsize=4096)
def process_steps(process_id: int) -> tuple[StepPlan, ...]:
    """The steps of a published process (immutable, so a process-local cache never goes stale)."""
    rows = ProcessStep.objects.filter(process_id=process_id).order_by("position")
    return tuple(StepPlan(s.position, s.name, s.role, s.unit_id, s.hours) for s in rows)


@transaction.atomic
def process_publish(*, actor: object, procedure: Procedure, agency: Agency, steps: list[StepPlan]) -> Process:
    """Publish a new version of the agency's process for the procedure; the previous one is retired.
    Dossiers already received keep the version they were bound to."""
    version = procedure.current_version
    if version is None:
        raise InvalidProcess(_("The procedure has no published version."))
    steps = [StepPlan(i, s.name.strip(), s.role, s.unit_id, s.hours) for i, s in enumerate(steps, start=1)]
    validate_steps(steps, version)
    Procedure.objects.select_for_update().filter(pk=procedure.pk).first()  # one publisher at a time
    return _publish(actor=actor, procedure=procedure, agency=agency, steps=steps, generated=False)


def _publish(*, actor: object, procedure: Procedure, agency: Agency, steps: list[StepPlan], generated: bool) -> Process:
    previous = Process.objects.filter(procedure=procedure, agency=agency)
    number = (previous.aggregate(n=Max("number"))["n"] or 0) + 1
    for old in previous.filter(status=VersionStatus.PUBLISHED):
        old.status = VersionStatus.RETIRED
        old.save(update_fields=["status", "updated_at"])
    process = Process.objects.create(
        procedure=procedure,
        agency=agency,
        number=number,
        status=VersionStatus.PUBLISHED,
        published_at=timezone.now(),
        generated=generated,
    )
    ProcessStep.objects.bulk_create(
        ProcessStep(process=process, position=s.position, name=s.name, role=s.role, unit_id=s.unit_id, hours=s.hours)
        for s in steps
    )
    audit(
        actor=actor if getattr(actor, "pk", None) else None,
        action="process_publish",
        obj=process,
        summary=f"{procedure.code} {agency.code} v{number}",
        data={"steps": len(steps), "generated": generated},
    )
    return process


def process_ensure(*, version: ProcedureVersion, agency: Agency) -> Process:
    """The process in force, or, when the agency has none yet, the default one generated from the
    version's time and published (the caller's transaction; concurrent callers get the same one)."""
    process = process_in_force(procedure_id=version.procedure_id, agency_id=agency.pk)
    if process is not None:
        return process
    with transaction.atomic():
        Procedure.objects.select_for_update().filter(pk=version.procedure_id).first()
        process = process_in_force(procedure_id=version.procedure_id, agency_id=agency.pk)
        if process is not None:
            return process
        return _publish(
            actor=None, procedure=version.procedure, agency=agency, steps=default_steps(version), generated=True
        )
