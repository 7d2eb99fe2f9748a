"""Inboxes: the dossiers a person or a unit holds, most urgent first, with deadline badges.

Scoped to the actor's role grants: a dossier shows up where the actor holds the role of its current
step on the holding agency. Reads only; rows of a page need a constant number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.processes import process_steps
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Consultation, Dossier
from motcua.identity.constants import Role
from motcua.identity.models import User
from motcua.identity.selectors import agencies_for, roles_of
from motcua.workflow.steps import current_step, step_agency

STEP_ROLES = (Role.DESK_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER, Role.CLERK)


class Urgency:
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"  # due within one working day
    OVERDUE = "overdue"
    NONE = "none"  # no deadline


URGENCY_LABELS = {
    Urgency.ON_TRACK: _("On track"),
    Urgency.AT_RISK: _("Due within 1 working day"),
    Urgency.OVERDUE: _("Overdue"),
    Urgency.NONE: _("No deadline"),
}


def urgency(due_at: datetime | None, warn_at: datetime | None, now: datetime) -> str:
    """The badge of a deadline: overdue once passed, at risk from one working day before it."""
    if due_at is None:
        return Urgency.NONE
    if now >= due_at:
        return Urgency.OVERDUE
    if warn_at is not None and now >= warn_at:
        return Urgency.AT_RISK
    return Urgency.ON_TRACK


@dataclass(frozen=True)
class InboxQuery:
    # "mine": assigned to me, and results waiting for return at my desks; "unit": everything my units
    # hold at my steps; "pool": what nobody holds yet
    scope: str = "mine"
    search: str = ""
    urgency: str = ""  # one of Urgency, or "" for all


def _held_where(actor: Any) -> Q:
    """Dossiers at a step whose role the actor holds on the holding agency."""
    condition = Q(pk__in=[])
    for role in sorted(roles_of(actor) & set(STEP_ROLES)):
        agencies = agencies_for(actor, [role]).values("pk")
        condition |= Q(holder_role=role, holder_agency__in=agencies)
    return condition


def inbox(actor: Any, query: InboxQuery | None = None, *, now: datetime | None = None) -> QuerySet[Dossier]:
    query = query or InboxQuery()
    now = now or timezone.now()
    rows = Dossier.objects.filter(_held_where(actor))
    if query.scope == "mine":
        # A result waiting at the desk is the desk officers' own work, not only the pool's: whoever is
        # at the desk when the applicant comes returns it (Nghị định 118/2025/NĐ-CP, điều 21).
        waiting_return = Q(assignee=None, status=Status.RESULT_READY, holder_role=Role.DESK_OFFICER)
        rows = rows.filter(Q(assignee=actor) | waiting_return)
    elif query.scope == "pool":
        rows = rows.filter(assignee=None)
    text = query.search.strip()
    if text:
        rows = rows.filter(Q(code__istartswith=text) | Q(applicant_id_number=text) | Q(applicant_name__icontains=text))
    if query.urgency == Urgency.OVERDUE:
        rows = rows.filter(due_at__lte=now)
    elif query.urgency == Urgency.AT_RISK:
        rows = rows.filter(warn_at__lte=now, due_at__gt=now)
    elif query.urgency == Urgency.ON_TRACK:
        rows = rows.filter(Q(warn_at__gt=now) | Q(warn_at=None, due_at__gt=now))
    return rows.select_related("procedure", "assignee", "holder_agency").order_by(
        F("step_due_at").asc(nulls_last=True), F("due_at").asc(nulls_last=True), "id"
    )


def consultations_for(actor: Any) -> QuerySet[Consultation]:
    """Questions other agencies asked the actor's agencies, unanswered, the soonest due first."""
    agencies = agencies_for(actor, [Role.SPECIALIST, Role.UNIT_LEADER]).values("pk")
    return (
        Consultation.objects.filter(agency__in=agencies, answered_at=None)
        .select_related("dossier__procedure", "agency", "dossier__competent_agency")
        .order_by(F("due_at").asc(nulls_last=True), "id")
    )


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def next_step_people(dossier: Dossier) -> list[User]:
    """Who may be chosen for the dossier's next step: active staff holding its role on its agency
    (directly, or through a grant on an ancestor that includes sub-agencies)."""
    step = current_step(dossier)
    if step is None or dossier.process_id is None:
        return []
    steps = process_steps(dossier.process_id)
    if step.position >= len(steps):
        return []
    following = steps[step.position]
    agency: Agency = step_agency(dossier, following)
    grants = Q(grants__role=following.role) & (
        Q(grants__agency=agency)
        | Q(grants__include_subagencies=True, grants__agency__path__in=_ancestor_paths(agency.path))
    )
    return list(User.objects.filter(grants, is_active=True).distinct().order_by("full_name"))
