"""The one writer of a dossier's status (ARCHITECTURE.md §4.2).

Every status change goes through ``dossier_open`` (the first state) or ``dossier_apply_action``: lock
the row, check the transition table, set status and times, recompute the due time when the clock
changes, append an immutable event. A test fails if any other module assigns a status.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.exceptions import NotFound
from motcua.dossiers.codes import allocate_dossier_code
from motcua.dossiers.constants import NATIONAL_STATUS, Status
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.identity.constants import Role
from motcua.identity.selectors import covers
from motcua.workflow.constants import Action, Actor, Clock
from motcua.workflow.deadlines import due_for
from motcua.workflow.transitions import PREVIOUS, TABLE, guard

PROCESSING_ROLES = [Role.SPECIALIST, Role.UNIT_LEADER, Role.CLERK]

# Called with each new event's id once its transaction commits. Apps above workflow (notifications)
# register here in their AppConfig.ready(), so the writer never imports them.
on_event_committed: list[Callable[[int], None]] = []


def _announce(event_id: int) -> None:
    for callback in on_event_committed:
        callback(event_id)


def actor_kinds(actor: Any, dossier: Dossier) -> set[str]:
    """What the person is for this dossier: its applicant, a desk officer where it was received, or
    staff of the agency competent to decide it."""
    kinds: set[str] = set()
    if actor is None:
        return kinds
    if dossier.applicant_id is not None and dossier.applicant_id == getattr(actor, "pk", None):
        kinds.add(Actor.APPLICANT)
    if covers(actor, [Role.DESK_OFFICER], dossier.receiving_agency):
        kinds.add(Actor.DESK)
    if covers(actor, PROCESSING_ROLES, dossier.competent_agency):
        kinds.add(Actor.PROCESSING)
    return kinds


def _event(
    dossier: Dossier, *, actor: Any, action: str, from_status: str, note: str, payload: dict[str, Any], at: datetime
) -> DossierEvent:
    event = DossierEvent.objects.create(
        dossier=dossier,
        at=at,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        national_status=dossier.national_status,
        note=note,
        payload=payload,
        due_at=dossier.due_at,
    )
    if settings.MOTCUA_TASKS_IN_TRANSACTION:
        # The task queue is a table of this database: the task row commits (or rolls back) with the
        # event, a transactional outbox, and the worker only sees it once the dossier is committed.
        _announce(event.pk)
    else:
        # Any other queue: enqueue once committed. robust: a failing side effect is logged, the
        # committed dossier stays.
        transaction.on_commit(partial(_announce, event.pk), robust=True)
    return event


def dossier_open(*, actor: Any, dossier: Dossier, as_kind: str, at: datetime | None = None) -> Dossier:
    """Give a new, unsaved dossier its code and first state ("Mới đăng ký"), and log the submission."""
    at = at or timezone.now()
    guard(action=Action.SUBMIT, status="", actor_kinds={as_kind}, note="", done_before=set())
    dossier.status = Status.SUBMITTED
    dossier.national_status = NATIONAL_STATUS[Status.SUBMITTED]
    dossier.submitted_at = at
    dossier.code = allocate_dossier_code(agency=dossier.receiving_agency, at=at)
    dossier.save()
    _event(
        dossier, actor=actor, action=Action.SUBMIT, from_status="", note="", payload={"channel": dossier.channel}, at=at
    )
    return dossier


def _previous_status(dossier: Dossier) -> str:
    pause = dossier.events.filter(action=Action.REQUEST_SUPPLEMENT).order_by("-at", "-id").first()
    assert pause is not None, "a supplement state always follows a request event"
    return pause.from_status


def _apply_clock(dossier: Dossier, clock: str, at: datetime) -> None:
    if clock == Clock.START:
        dossier.received_at = at
        dossier.due_at = due_for(dossier)
    elif clock == Clock.PAUSE and dossier.received_at is not None:
        dossier.paused_at = at
    elif clock == Clock.RESUME and dossier.paused_at is not None:
        dossier.pauses = [*dossier.pauses, [dossier.paused_at.isoformat(), at.isoformat()]]
        dossier.paused_at = None
        dossier.due_at = due_for(dossier)
    elif clock == Clock.STOP:
        dossier.closed_at = at
        dossier.paused_at = None


@transaction.atomic
def dossier_apply_action(
    *,
    actor: Any,
    dossier_id: int | None = None,
    code: str = "",
    action: str,
    note: str = "",
    payload: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> Dossier:
    """Move a dossier (by id or by code) along the transition table, or raise the reason it may not move
    (nothing changes)."""
    at = at or timezone.now()
    # Lock the dossier row only; its version and agencies are read for the guard and the due time.
    locked = Dossier.objects.select_for_update(of=("self",)).select_related(
        "procedure_version", "receiving_agency", "competent_agency"
    )
    dossier = locked.filter(pk=dossier_id).first() if dossier_id is not None else locked.filter(code=code).first()
    if dossier is None:
        raise NotFound(_("Dossier %(code)s does not exist.") % {"code": code or dossier_id})
    # Only "once" rules need the history.
    once = action in TABLE and TABLE[action].once
    done_before = set(dossier.events.filter(action=action).values_list("action", flat=True)) if once else set()
    transition = guard(
        action=action,
        status=dossier.status,
        actor_kinds=actor_kinds(actor, dossier),
        note=note,
        done_before=done_before,
    )
    from_status = dossier.status
    dossier.status = _previous_status(dossier) if transition.target == PREVIOUS else transition.target
    dossier.national_status = NATIONAL_STATUS[dossier.status]
    _apply_clock(dossier, transition.clock, at)
    dossier.save(
        update_fields=[
            "status",
            "national_status",
            "received_at",
            "due_at",
            "paused_at",
            "pauses",
            "closed_at",
            "updated_at",
        ]
    )
    _event(
        dossier, actor=actor, action=action, from_status=from_status, note=note.strip(), payload=payload or {}, at=at
    )
    return dossier
