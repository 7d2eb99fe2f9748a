"""Where a dossier is in its internal process, and where an action moves it.

The writer asks ``plan_move`` what the step fields become; these functions only read (a test holds
the planner to it: no INSERT or UPDATE). Step deadlines
are working time from the step's start (Nghị định 118/2025/NĐ-CP: each step of the internal process
has its own time), extended by the pauses that fell inside the step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.processes import StepPlan, process_steps
from motcua.core.exceptions import DomainError
from motcua.dossiers.models import Consultation, Dossier
from motcua.identity.constants import Role
from motcua.identity.models import User
from motcua.identity.selectors import agencies_for, covers
from motcua.workflow.constants import Action
from motcua.workflow.deadlines import calendar_of, pauses_of
from motcua.workflow.transitions import TransitionNotAllowed


class AssigneeNotEligible(DomainError):
    code = "assignee_not_eligible"
    default_message = _("The chosen person does not hold the next step's role in its unit.")


class NoProcessInForce(DomainError):
    """The competent agency has no published process for the procedure yet. The planner only reads; the
    reception service publishes the default (``catalog.processes.process_ensure``) and receives again."""

    code = "no_process_in_force"
    status = 409
    default_message = _("The agency has no internal process in force for this procedure.")

    def __init__(self, version: ProcedureVersion, agency: Agency) -> None:
        super().__init__()
        self.version = version
        self.agency = agency


class NoPreviousStep(TransitionNotAllowed):
    code = "no_previous_step"
    default_message = _("The dossier is at the first step; there is nothing to send it back to.")


@dataclass(frozen=True)
class StepState:
    process_id: int | None
    position: int | None
    holder_agency: Agency | None
    holder_role: str
    assignee_id: int | None
    started_at: datetime | None
    due_at: datetime | None


def current_step(dossier: Dossier) -> StepPlan | None:
    if dossier.process_id is None or dossier.step_position is None:
        return None
    steps = process_steps(dossier.process_id)
    return steps[dossier.step_position - 1] if 0 < dossier.step_position <= len(steps) else None


def step_agency(dossier: Dossier, step: StepPlan) -> Agency:
    """Desk steps happen where the dossier was received; the others in the step's unit or the
    competent agency."""
    if step.role == Role.DESK_OFFICER:
        return dossier.receiving_agency
    if step.unit_id is not None:
        return Agency.objects.get(pk=step.unit_id)
    return dossier.competent_agency


def step_due(dossier: Dossier, step: StepPlan, started_at: datetime, *, first: bool = False) -> datetime | None:
    if step.hours is None:
        return None
    calendar = calendar_of(dossier)
    cutoff = dossier.procedure_version.cutoff if first else None
    start = calendar.clock_start(started_at, cutoff)
    pauses = [(begin, end) for begin, end in pauses_of(dossier) if end > started_at]
    return calendar.add_working_time(start, timedelta(hours=float(step.hours)), pauses)


def open_consultation_for(actor: Any, dossier: Dossier) -> Consultation | None:
    agencies = agencies_for(actor, [Role.SPECIALIST, Role.UNIT_LEADER])
    return (
        dossier.consultations.filter(answered_at__isnull=True, agency__in=agencies)
        .select_related("agency")
        .order_by("requested_at", "id")
        .first()
    )


def _previous_holder(dossier: Dossier, position: int) -> int | None:
    event = dossier.events.filter(step=position).exclude(assignee=None).order_by("-at", "-id").first()
    return event.assignee_id if event else None


def _enter(
    dossier: Dossier, process_id: int, position: int, at: datetime, assignee: Any, *, first: bool = False
) -> StepState:
    steps = process_steps(process_id)
    if not 0 < position <= len(steps):
        raise TransitionNotAllowed()
    step = steps[position - 1]
    agency = step_agency(dossier, step)
    if assignee is not None and not covers(assignee, [step.role], agency):
        raise AssigneeNotEligible()
    return StepState(
        process_id,
        position,
        agency,
        step.role,
        getattr(assignee, "pk", None),
        at,
        step_due(dossier, step, at, first=first),
    )


def plan_move(
    dossier: Dossier,
    action: str,
    *,
    actor: Any,
    at: datetime,
    assignee: Any = None,
    process_in_force: int | None = None,
) -> StepState | None:
    """The step fields after ``action``, or None when the action leaves them as they are.

    ``process_in_force``: on reception, the id of the agency's published process (read with the locked
    row); None refuses with ``NoProcessInForce``: a planner never publishes one."""
    if action == Action.RECEIVE:
        if process_in_force is None:
            raise NoProcessInForce(dossier.procedure_version, dossier.competent_agency)
        return _enter(dossier, process_in_force, 1, at, actor, first=True)
    if action == Action.TAKE:
        return StepState(
            dossier.process_id,
            dossier.step_position,
            dossier.holder_agency,
            dossier.holder_role,
            actor.pk,
            dossier.step_started_at,
            dossier.step_due_at,
        )
    if dossier.process_id is None or dossier.step_position is None:
        return None
    if action in (Action.FORWARD, Action.APPROVE, Action.REJECT, Action.ISSUE_RESULT):
        return _enter(dossier, dossier.process_id, dossier.step_position + 1, at, assignee)
    if action == Action.SEND_BACK:
        if dossier.step_position <= 1:
            raise NoPreviousStep()
        back = dossier.step_position - 1
        previous = _previous_holder(dossier, back)
        person = User.objects.filter(pk=previous).first() if previous else None
        return _enter(dossier, dossier.process_id, back, at, person)
    if action in (Action.RETURN_RESULT, Action.STOP, Action.WITHDRAW):
        return StepState(dossier.process_id, dossier.step_position, None, "", None, None, None)
    return None


def resumed_step_due(dossier: Dossier) -> datetime | None:
    """After a pause ends, the current step's deadline moves by the paused working time."""
    step = current_step(dossier)
    if step is None or dossier.step_started_at is None:
        return dossier.step_due_at
    return step_due(dossier, step, dossier.step_started_at, first=dossier.step_position == 1)
