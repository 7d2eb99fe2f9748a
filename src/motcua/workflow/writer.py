"""The one writer of a dossier's status (ARCHITECTURE.md §4.2).

Every status change goes through ``dossier_open`` (the first state) or ``dossier_apply_action``: lock
the row, check the transition table, set status and times, recompute the due time when the clock
changes, append an immutable event. A test fails if any other module assigns a status.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache, partial
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.calendar import calendar_stamp_sql
from motcua.agencies.models import Agency, Desk
from motcua.catalog.constants import DocumentForm, VersionStatus
from motcua.catalog.models import ProcedureVersion, RequiredDocument
from motcua.catalog.process_models import Process
from motcua.core.exceptions import NotFound
from motcua.core.rowsql import Columns, insert_rows, quote, update_row
from motcua.documents.codes import code_part
from motcua.documents.constants import CERTIFICATION_SECTOR_CODE, Origin
from motcua.documents.models import DigitizedDocument, DocumentReuse
from motcua.documents.selectors import types_held
from motcua.dossiers.codes import allocate_dossier_code
from motcua.dossiers.constants import NATIONAL_STATUS, Status
from motcua.dossiers.models import Consultation, Dossier, DossierDocument, DossierEvent, DossierResult
from motcua.identity.constants import Role
from motcua.identity.selectors import covers
from motcua.workflow.book_entries import book_entry_add
from motcua.workflow.constants import Action, Actor, Clock
from motcua.workflow.deadlines import calendar_of, calendar_with_stamp, due_for
from motcua.workflow.stats import stat_upserts
from motcua.workflow.steps import StepState, current_step, open_consultation_for, plan_move, resumed_step_due
from motcua.workflow.transitions import PREVIOUS, SAME, TABLE, guard

PROCESSING_ROLES = [Role.SPECIALIST, Role.UNIT_LEADER, Role.CLERK]

# Called with each new event's id once its transaction commits. Apps above workflow (notifications)
# register here in their AppConfig.ready(), so the writer never imports them.
on_event_committed: list[Callable[[int], None]] = []


# Called with the dossier and each new event INSIDE the writer's transaction, right after the event row is
# written (dossier_open and dossier_apply_action): for rows that must commit with the event or not at all
# (integrations' outbox of the national sync). Apps above workflow register in their AppConfig.ready().
on_event_written: list[Callable[[Dossier, DossierEvent], None]] = []


def _announce(event_id: int) -> None:
    for callback in on_event_committed:
        callback(event_id)


@dataclass(frozen=True)
class VerifiedPayment:
    """The actor of a payment confirmed by the provider's verified callback (no person acts: the event's
    actor stays empty and its note names the payment)."""

    reference: str
    pk: None = None


def actor_kinds(actor: Any, dossier: Dossier, action: str = "") -> set[str]:
    """What the person is for this dossier: its applicant, a desk officer where it was received, staff
    of the competent agency, the holder of its current process step, a leader, or (for an answer) staff
    of an agency whose opinion was asked."""
    kinds: set[str] = set()
    if actor is None:
        return kinds
    if isinstance(actor, VerifiedPayment):
        return {Actor.PAYMENT}
    if dossier.applicant_id is not None and dossier.applicant_id == getattr(actor, "pk", None):
        kinds.add(Actor.APPLICANT)
    if covers(actor, [Role.DESK_OFFICER], dossier.receiving_agency):
        kinds.add(Actor.DESK)
    if covers(actor, PROCESSING_ROLES, dossier.competent_agency):
        kinds.add(Actor.PROCESSING)
    if covers(actor, [Role.UNIT_LEADER], dossier.competent_agency):
        kinds.add(Actor.LEADER)
    step = current_step(dossier)
    if step is not None and dossier.holder_agency is not None and covers(actor, [step.role], dossier.holder_agency):
        kinds.add(Actor.STEP_UNIT)
        if dossier.assignee_id in (None, actor.pk):
            kinds.add(Actor.STEP_HOLDER)
    if action == Action.ANSWER_CONSULTATION and open_consultation_for(actor, dossier) is not None:
        kinds.add(Actor.CONSULTED)
    return kinds


def _event(
    dossier: Dossier, *, actor: Any, action: str, from_status: str, note: str, payload: dict[str, Any], at: datetime
) -> DossierEvent:
    event = DossierEvent(
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
        step=dossier.step_position,
        step_due_at=dossier.step_due_at,
        holder_agency_id=dossier.holder_agency_id,
        assignee_id=dossier.assignee_id,
    )
    # The daily and monthly counts reports read move with the event, in the same round trip.
    insert_rows([event], together=stat_upserts(dossier, event))
    for written in on_event_written:
        written(dossier, event)
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
    insert_rows([dossier])
    _event(
        dossier, actor=actor, action=Action.SUBMIT, from_status="", note="", payload={"channel": dossier.channel}, at=at
    )
    return dossier


PAUSING_ACTIONS = (Action.REQUEST_SUPPLEMENT, Action.REQUEST_PAYMENT)


def _previous_status(dossier: Dossier) -> str:
    pause = dossier.events.filter(action__in=PAUSING_ACTIONS).order_by("-at", "-id").first()
    assert pause is not None, "a paused state always follows a pausing event"
    return pause.from_status


def _set_due(dossier: Dossier, due: datetime | None) -> None:
    dossier.due_at = due
    dossier.warn_at = None if due is None else calendar_of(dossier).at_risk_from(due)


def _apply_clock(dossier: Dossier, clock: str, at: datetime) -> None:
    if clock == Clock.START:
        dossier.received_at = at
        _set_due(dossier, due_for(dossier))
    elif clock == Clock.PAUSE and dossier.received_at is not None:
        dossier.paused_at = at
    elif clock == Clock.RESUME and dossier.paused_at is not None:
        paused_from = dossier.paused_at
        dossier.pauses = [*dossier.pauses, [paused_from.isoformat(), at.isoformat()]]
        dossier.paused_at = None
        if dossier.original_due_at is None:
            _set_due(dossier, due_for(dossier))
        elif dossier.due_at is not None:  # re-dated by an apology: extend the new date by the pause
            calendar = calendar_of(dossier)
            _set_due(dossier, calendar.add_working_time(dossier.due_at, calendar.working_time_between(paused_from, at)))
        dossier.step_due_at = resumed_step_due(dossier)
    elif clock == Clock.FINISH:
        dossier.finished_at = at
    elif clock == Clock.STOP:
        dossier.closed_at = at
        dossier.paused_at = None


def _apply_step(dossier: Dossier, state: StepState | None) -> None:
    if state is None:
        return
    dossier.process_id = state.process_id
    dossier.step_position = state.position
    dossier.holder_agency = state.holder_agency
    dossier.holder_role = state.holder_role
    dossier.assignee_id = state.assignee_id
    dossier.step_started_at = state.started_at
    dossier.step_due_at = state.due_at


_SAVED_FIELDS = [
    "status",
    "national_status",
    "received_at",
    "due_at",
    "warn_at",
    "original_due_at",
    "paused_at",
    "pauses",
    "finished_at",
    "closed_at",
    "process",
    "step_position",
    "holder_agency",
    "holder_role",
    "assignee",
    "step_started_at",
    "step_due_at",
    "updated_at",
]


@cache
def _lock_sql(vendor: str, by_code: bool, reception: bool) -> tuple[str, list[tuple[Columns, int]], int]:
    """The writer's first statement: the dossier row, locked (that row only), with its version and its
    receiving, competent and holder agencies (read by the guard, the steps and the due time), and the
    calendar's freshness stamp; for a reception also whether a document was scanned (the "digitized"
    count), the agency's process in force and the desk's code (the tracking book's volume). One round
    trip where there were four."""
    parts = [
        Columns(Dossier, "d"),
        Columns(ProcedureVersion, "v"),
        Columns(Agency, "ra"),
        Columns(Agency, "ca"),
        Columns(Agency, "ha"),
    ]
    agency = quote(Agency._meta.db_table)
    extra = f", {calendar_stamp_sql()}"
    if reception:
        documents, processes = quote(DossierDocument._meta.db_table), quote(Process._meta.db_table)
        reuses, required = quote(DocumentReuse._meta.db_table), quote(RequiredDocument._meta.db_table)
        components = f"SELECT COUNT(*) FROM {documents} f WHERE f.dossier_id = d.id AND f.event_id IS NULL"
        reused = f"EXISTS (SELECT 1 FROM {reuses} r WHERE r.dossier_document_id = f.id)"
        extra += (
            f", ({components})"
            f", ({components} AND (f.file <> '' OR {reused}))"
            f", (SELECT COUNT(*) FROM {reuses} r WHERE r.dossier_id = d.id)"
            # Components given again (file or paper) for a reusable, typed document: the store may have
            # held it (``_store_held`` looks).
            f", (SELECT COUNT(*) FROM {documents} f JOIN {required} q ON q.id = f.required_document_id"
            f" WHERE f.dossier_id = d.id AND f.event_id IS NULL AND q.reusable = %s"
            f" AND q.document_type_code <> '' AND NOT {reused})"
            f", (SELECT p.id FROM {processes} p WHERE p.procedure_id = d.procedure_id"
            " AND p.agency_id = d.competent_agency_id AND p.status = %s ORDER BY p.number DESC LIMIT 1)"
            f", (SELECT k.code FROM {quote(Desk._meta.db_table)} k WHERE k.id = d.desk_id)"
        )
    sql = (
        f"SELECT {', '.join(part.sql for part in parts)}{extra} FROM {quote(Dossier._meta.db_table)} d"
        f" JOIN {quote(ProcedureVersion._meta.db_table)} v ON v.id = d.procedure_version_id"
        f" JOIN {agency} ra ON ra.id = d.receiving_agency_id"
        f" JOIN {agency} ca ON ca.id = d.competent_agency_id"
        f" LEFT JOIN {agency} ha ON ha.id = d.holder_agency_id"
        f" WHERE d.{'code' if by_code else 'id'} = %s"
    )
    if connection.features.has_select_for_update_of:
        sql += " FOR UPDATE OF d"
    elif connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    # Each model's columns with where they start in a row, and where the extra columns start.
    starts = [sum(len(part) for part in parts[:i]) for i in range(len(parts) + 1)]
    return sql, list(zip(parts, starts[:-1], strict=True)), starts[-1]


@dataclass(frozen=True)
class Components:
    """A dossier's components at reception, as the digitization indicators count them."""

    given: int = 0  # documents of the application (files, papers, stored documents taken)
    digitized: int = 0  # of them, a file or a document taken from the data store
    reused: int = 0  # taken from the data store
    given_again: int = 0  # given as a file or paper for a reusable, typed document


@dataclass
class _Locked:
    dossier: Dossier
    components: Components = Components()  # reception only
    process_in_force: int | None = None  # reception only; None: the agency has none yet
    desk_code: str = ""  # reception only; "" without a desk


def _locked(dossier_id: int | None, code: str, *, reception: bool) -> _Locked | None:
    """The dossier (by id, else by code) locked for this transaction, its calendar set from the stamp
    read with it, and for a reception what ``_lock_sql`` adds."""
    sql, parts, extra_start = _lock_sql(connection.vendor, dossier_id is None, reception)
    key = code if dossier_id is None else dossier_id
    with connection.cursor() as cursor:
        cursor.execute(sql, [True, VersionStatus.PUBLISHED.value, key] if reception else [key])
        row = cursor.fetchone()
    if row is None:
        return None
    dossier, version, receiving, competent, holder = (part.instance(row, start) for part, start in parts)
    dossier.procedure_version = version
    dossier.receiving_agency = receiving
    dossier.competent_agency = competent
    dossier.holder_agency = holder if dossier.holder_agency_id is not None else None
    extra = row[extra_start:]
    calendar_with_stamp(dossier, extra[0])
    if not reception:
        return _Locked(dossier)
    components = Components(*(int(n or 0) for n in extra[1:5]))
    return _Locked(dossier, components=components, process_in_force=extra[5], desk_code=extra[6] or "")


def reception_payload(dossier: Dossier, components: Components) -> dict[str, Any]:
    """The figures a reception records for the indicators (docs/digitization.md "Indicators"):

    ``components`` given, of them ``digitized_components`` (a file, or a document taken from the data
    store; a paper only seen or kept is not digitized) and ``reused`` (taken from the store);
    ``digitized``: every component is digitized; ``store_held``: components of a reusable document the
    applicant's store held, valid and of the matching type, when the dossier was submitted (taken from
    the store, or given again); ``asked_again``: of those, the ones given again.

    The dossier's own components are not yet in the store (they are digitized after this move), and the
    store is read as it was at submission (documents digitized by then, valid on that day)."""
    held_again = _store_held(dossier) if components.given_again else 0
    return {
        "digitized": components.digitized == components.given,
        "components": components.given,
        "digitized_components": components.digitized,
        "reused": components.reused,
        "store_held": components.reused + held_again,
        "asked_again": held_again,
    }


def _store_held(dossier: Dossier) -> int:
    """How many components given again (not taken from the store) for a reusable, typed document the
    applicant's store held at submission."""
    wanted = list(
        DossierDocument.objects.filter(
            dossier_id=dossier.pk, event__isnull=True, required_document__reusable=True, reuse__isnull=True
        )
        .exclude(required_document__document_type_code="")
        .values_list("required_document__document_type_code", flat=True)
    )
    at = dossier.submitted_at or timezone.now()
    held = types_held(owner_id_number=dossier.applicant_id_number, type_codes=wanted, at=at)
    return sum(1 for type_code in wanted if code_part(type_code) in held)


def issue_payload(dossier: Dossier) -> dict[str, Any]:
    """The facts an issued result records for the indicators, read in one query:

    ``electronic``: the result was signed digitally; ``certification``: the procedure is of the
    certification sector; ``certified_copy``: the result is a certified electronic copy (the copy in the
    applicant's store); ``crossed``: the dossier crossed agencies (received at one agency for another,
    or another agency's opinion was asked); ``paper_kept``: the desk kept paper in the dossier (a copy
    or certified copy received on paper, not scanned), which had to be carried, not sent."""
    row = (
        Dossier.objects.filter(pk=dossier.pk)
        .values(
            electronic=Exists(DossierResult.objects.filter(dossier_id=OuterRef("pk"), signed_at__isnull=False)),
            sector=F("procedure__sector__code"),
            copy=Exists(DigitizedDocument.objects.filter(dossier_id=OuterRef("pk"), origin=Origin.CERTIFIED_COPY)),
            consulted=Exists(
                Consultation.objects.filter(dossier_id=OuterRef("pk")).exclude(
                    agency_id=OuterRef("competent_agency_id")
                )
            ),
            paper=Exists(
                DossierDocument.objects.filter(
                    dossier_id=OuterRef("pk"), event__isnull=True, file="", form__in=KEPT_ON_PAPER
                )
            ),
        )
        .get()
    )
    certification = row["sector"] == CERTIFICATION_SECTOR_CODE
    return {
        "electronic": bool(row["electronic"]),
        "certification": certification,
        "certified_copy": certification and bool(row["copy"]),
        "crossed": dossier.receiving_agency_id != dossier.competent_agency_id or bool(row["consulted"]),
        "paper_kept": bool(row["paper"]),
    }


# Paper the desk keeps in the dossier (an original is seen, compared and handed back).
KEPT_ON_PAPER = (DocumentForm.COPY, DocumentForm.CERTIFIED_COPY)


# A service's own preconditions, given the locked dossier and the action's time: run after the guard and
# before anything changes, so a refusal writes nothing (not even a row rolled back). It writes nothing.
Check = Callable[[Dossier, datetime], None]
# Work a service does inside the writer's transaction once the event exists (consultation rows, the
# result document, attached files). It writes; it does not validate (that is ``Check``'s job).
Effect = Callable[[Dossier, DossierEvent], None]


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
    assignee: Any = None,
    new_due_at: datetime | None = None,
    check: Check | None = None,
    effect: Effect | None = None,
) -> Dossier:
    """Move a dossier (by id or by code) along the transition table, or raise the reason it may not move
    (nothing changes).

    ``assignee``: the person chosen for the next step (forward, approve, issue), else the unit's pool.
    ``new_due_at``: the new appointment of an apology (the first one is kept as ``original_due_at``).

    Two phases: every precondition (the transition table's guard, the service's ``check``, the step plan
    with its eligible assignee and process in force) runs on the locked row first; only then does the
    status change and the first row get written.
    """
    at = at or timezone.now()
    locked = _locked(dossier_id, code, reception=action == Action.RECEIVE)
    if locked is None:
        raise NotFound(_("Dossier %(code)s does not exist.") % {"code": code or dossier_id})
    dossier = locked.dossier
    # Only "once" rules need the history.
    once = action in TABLE and TABLE[action].once
    done_before = set(dossier.events.filter(action=action).values_list("action", flat=True)) if once else set()
    step = current_step(dossier)
    transition = guard(
        action=action,
        status=dossier.status,
        actor_kinds=actor_kinds(actor, dossier, action),
        note=note,
        done_before=done_before,
        step_role=step.role if step is not None else None,
    )
    if check is not None:
        check(dossier, at)
    planned = plan_move(
        dossier, action, actor=actor, at=at, assignee=assignee, process_in_force=locked.process_in_force
    )
    if action == Action.APOLOGIZE:
        assert new_due_at is not None, "an apology proposes a new due time"
    # Preconditions end here: from now on the dossier changes.
    from_status = dossier.status
    if transition.target == PREVIOUS:
        dossier.status = _previous_status(dossier)
    elif transition.target != SAME:
        dossier.status = transition.target
    dossier.national_status = NATIONAL_STATUS[dossier.status]
    _apply_step(dossier, planned)
    _apply_clock(dossier, transition.clock, at)
    if action == Action.APOLOGIZE:
        dossier.original_due_at = dossier.due_at
        _set_due(dossier, new_due_at)
    update_row(dossier, _SAVED_FIELDS)
    payload = dict(payload or {})
    if action == Action.RECEIVE:  # what the digitization and reuse indicators count
        payload.update(reception_payload(dossier, locked.components))
    if action == Action.ISSUE_RESULT:  # what the e-result, certified copy and inter-agency indicators count
        payload.update(issue_payload(dossier))
    event = _event(
        dossier, actor=actor, action=action, from_status=from_status, note=note.strip(), payload=payload, at=at
    )
    if action == Action.RECEIVE:  # the receipt gives the tracking book's volume and entry
        book_entry_add(dossier, at, desk_code=locked.desk_code)
    if effect is not None:
        effect(dossier, event)
    return dossier
