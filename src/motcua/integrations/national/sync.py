"""Push sync to the national public-service portal (DOMAIN.md §12): every dossier (upsert) and every
progress event, in order per dossier, exactly once at the portal, through an outbox.

- **Outbox**: ``outbox_add`` runs inside the workflow writer's transaction (``writer.on_event_written``)
  and writes the event's messages (the dossier's record first when the event changes it, then the
  event) with the dossier's next sequence numbers; the dossier row is locked by the writer, so the
  numbers of a dossier never collide.
- **Order**: only a dossier's *head* is sent: its lowest message not yet acknowledged. A later message
  waits until every earlier one is acknowledged, a dead letter included (it blocks its dossier until
  it is resent).
- **Exactly once**: a message keeps its id (``<dossier code>.<sequence>``) and its body (frozen at the
  first attempt) across retries, so the portal deduplicates a message it has already stored (an answer
  lost, a sender that died after sending).
- **Claims**: a sender claims a head with one conditional UPDATE (status and due time unchanged since it
  read them), which works alike on SQLite and PostgreSQL and holds no lock during the HTTP call; a
  claim lapses after the call's timeout plus a margin, so a dead sender's message is sent again.
- **Retries**: a retryable failure (network, timeout, 408/425/429/5xx) waits
  ``base × 2^(attempt-1)`` seconds, capped, and becomes a dead letter after the last attempt; a
  non-retryable answer (any other 4xx) is a dead letter at once. Dead letters are resent by an
  administrator (``sync_message_resend``, ``sync_dossier_resend``), audited.
- **Who sends**: a task per committed event (``tasks.sync_event_task``), and the periodic job
  ``sync_resume`` (every worker, every few seconds), which resumes whatever is due: retries, lapsed
  claims, rows whose task was lost.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.audit import audit
from motcua.core.exceptions import NotFound
from motcua.core.outbound import OutboundError, call_json, canonical_json, hmac_sha256
from motcua.core.rowsql import insert_rows
from motcua.core.task_worker import exponential_backoff
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.integrations.national import wire
from motcua.integrations.sync_models import SyncKind, SyncMessage, SyncStatus, message_id

logger = logging.getLogger("motcua.integrations.sync")

CLAIM_MARGIN_SECONDS = 30.0
UNSENT = (SyncStatus.PENDING, SyncStatus.SENDING)


# --- the outbox, inside the writer's transaction ----------------------------------------------------


def outbox_add(dossier: Dossier, event: DossierEvent) -> None:
    """Queue the event's messages for the portal, in the writer's transaction (``on_event_written``).

    The dossier's record goes first when the event changes it (``wire.changes_record``) and always
    before the first message of a dossier (the portal must know a dossier before its progress). A
    message is scheduled at once when it is its dossier's head; a later one waits unscheduled
    (``next_attempt_at`` empty) until the one before is acknowledged, so senders never wade through
    the messages that wait behind a failing one."""
    if not settings.MOTCUA_NATIONAL_SYNC_ENABLED:
        return
    last, unsent = 0, 0
    if event.from_status:  # a new dossier has no message yet: no need to look
        seen = SyncMessage.objects.filter(dossier_id=dossier.pk).aggregate(
            last=Max("sequence"), unsent=Count("pk", filter=~Q(status=SyncStatus.DELIVERED))
        )
        last, unsent = seen["last"] or 0, seen["unsent"]
    kinds = [SyncKind.DOSSIER, SyncKind.EVENT] if last == 0 or wire.changes_record(event) else [SyncKind.EVENT]
    now = timezone.now()
    insert_rows(
        [
            SyncMessage(
                dossier_id=dossier.pk,
                event_id=event.pk,
                sequence=last + offset,
                kind=kind,
                status=SyncStatus.PENDING,
                queued_at=now,
                next_attempt_at=now if offset == 1 and not unsent else None,
            )
            for offset, kind in enumerate(kinds, start=1)
        ]
    )


def _earlier_unacknowledged() -> Any:
    return SyncMessage.objects.filter(dossier_id=OuterRef("dossier_id"), sequence__lt=OuterRef("sequence")).exclude(
        status=SyncStatus.DELIVERED
    )


def _wake(dossier_id: int | None = None) -> int:
    """Schedule the unscheduled heads: a message queued while the one before it was being acknowledged
    (the writer's row was not committed when the sender looked for the next one)."""
    rows = SyncMessage.objects.filter(status=SyncStatus.PENDING, next_attempt_at__isnull=True)
    if dossier_id is not None:
        rows = rows.filter(dossier_id=dossier_id)
    return rows.filter(~Exists(_earlier_unacknowledged())).update(next_attempt_at=timezone.now())


# --- delivery -------------------------------------------------------------------------------------


def retry_delay(attempt: int) -> timedelta:
    """A failed message's wait (``core.task_worker.exponential_backoff`` with the sync settings)."""
    return exponential_backoff(
        attempt,
        base_seconds=settings.MOTCUA_NATIONAL_SYNC_RETRY_BASE_SECONDS,
        max_seconds=settings.MOTCUA_NATIONAL_SYNC_RETRY_MAX_SECONDS,
    )


def claim_duration() -> timedelta:
    return timedelta(seconds=settings.MOTCUA_NATIONAL_SYNC_TIMEOUT_SECONDS + CLAIM_MARGIN_SECONDS)


def _heads(now: datetime, dossier_id: int | None) -> Any:
    """Due messages with nothing unacknowledged before them in their dossier (scheduling keeps it so;
    this condition guarantees it)."""
    rows = SyncMessage.objects.filter(status__in=UNSENT, next_attempt_at__lte=now)
    if dossier_id is not None:
        rows = rows.filter(dossier_id=dossier_id)
    return rows.filter(~Exists(_earlier_unacknowledged()))


@dataclass(frozen=True)
class Claim:
    pk: int
    attempt: int


def _claim(dossier_id: int | None = None) -> Claim | None:
    """Claim one due head message (conditional UPDATE: another sender that read the same row loses)."""
    now = timezone.now()
    candidates = list(
        _heads(now, dossier_id)
        .order_by("next_attempt_at", "id")
        .values_list("pk", "status", "next_attempt_at", "attempts")[:16]
    )
    random.shuffle(candidates)  # several senders reading the same heads spread over them
    for pk, status, due, attempts in candidates:
        taken = SyncMessage.objects.filter(pk=pk, status=status, next_attempt_at=due).update(
            status=SyncStatus.SENDING, next_attempt_at=now + claim_duration(), attempts=F("attempts") + 1
        )
        if taken:
            return Claim(pk, attempts + 1)
    return None


def _load(pk: int) -> SyncMessage:
    return SyncMessage.objects.select_related(
        "dossier__procedure__sector",
        "dossier__receiving_agency",
        "dossier__competent_agency",
        "event__actor",
        "event__holder_agency",
    ).get(pk=pk)


def build_payload(row: SyncMessage) -> dict[str, Any]:
    return wire.message(
        kind=row.kind,
        message_id=message_id(row.dossier.code, row.sequence),
        sequence=row.sequence,
        dossier=row.dossier,
        event=row.event,
    )


def post_to_portal(kind: str, payload: dict[str, Any]) -> Any:
    """One signed POST of a message to the portal (raises ``OutboundError``)."""
    body = canonical_json(payload)
    return call_json(
        "POST",
        settings.MOTCUA_NATIONAL_PORTAL_URL + wire.PATHS[kind],
        body=body,
        headers={
            wire.CLIENT_HEADER: settings.MOTCUA_NATIONAL_PORTAL_CLIENT_ID,
            wire.SIGNATURE_HEADER: hmac_sha256(settings.MOTCUA_NATIONAL_PORTAL_SECRET, body),
        },
        timeout=settings.MOTCUA_NATIONAL_SYNC_TIMEOUT_SECONDS,
    )


def _mine(claim: Claim) -> Any:
    """The row while this sender's claim holds (another sender that took over a lapsed claim owns it)."""
    return SyncMessage.objects.filter(pk=claim.pk, status=SyncStatus.SENDING, attempts=claim.attempt)


def _send(claim: Claim) -> str:
    """Send a claimed message and record the outcome: the row's new status."""
    row = _load(claim.pk)
    if row.payload is None:
        row.payload = build_payload(row)
        _mine(claim).update(payload=row.payload)
    try:
        post_to_portal(row.kind, row.payload)
    except OutboundError as exc:
        return _failed(row, claim, exc)
    now = timezone.now()
    lag = max(0, int((now - row.queued_at).total_seconds() * 1000))
    acknowledged = _mine(claim).update(
        status=SyncStatus.DELIVERED,
        delivered_at=now,
        lag_ms=lag,
        next_attempt_at=None,
        last_error="",
        last_http_status=200,
    )
    if acknowledged:  # the dossier's next message may go now
        SyncMessage.objects.filter(
            dossier_id=row.dossier_id,
            sequence=row.sequence + 1,
            status=SyncStatus.PENDING,
            next_attempt_at__isnull=True,
        ).update(next_attempt_at=now)
    return SyncStatus.DELIVERED


def _failed(row: SyncMessage, claim: Claim, exc: OutboundError) -> str:
    now = timezone.now()
    error = str(exc)
    if isinstance(exc.body, dict) and exc.body.get("errors"):
        error += ": " + "; ".join(str(item) for item in exc.body["errors"])
    fields: dict[str, Any] = {"last_error": error[:2000], "last_http_status": exc.http_status}
    if exc.retryable and claim.attempt < settings.MOTCUA_NATIONAL_SYNC_MAX_ATTEMPTS:
        fields.update(status=SyncStatus.PENDING, next_attempt_at=now + retry_delay(claim.attempt))
        outcome = SyncStatus.PENDING
    else:
        fields.update(status=SyncStatus.DEAD, next_attempt_at=None, dead_at=now)
        outcome = SyncStatus.DEAD
        logger.warning("national sync: message %s is a dead letter after %d attempts: %s", row, claim.attempt, error)
    _mine(claim).update(**fields)
    return outcome


@dataclass
class Delivery:
    """What a round of sending did."""

    sent: int = 0
    delivered: int = 0
    failed: int = 0
    dead: int = 0


def sync_deliver(*, dossier_id: int | None = None, limit: int | None = None) -> Delivery:
    """Send due head messages (of one dossier, or of all) one at a time until none is due or ``limit``
    were sent; a dossier's next message becomes due the moment the one before is acknowledged."""
    done = Delivery()
    if not settings.MOTCUA_NATIONAL_SYNC_ENABLED:
        return done
    _wake(dossier_id)
    while limit is None or done.sent < limit:
        claim = _claim(dossier_id)
        if claim is None:
            break
        outcome = _send(claim)
        done.sent += 1
        done.delivered += outcome == SyncStatus.DELIVERED
        done.failed += outcome != SyncStatus.DELIVERED
        done.dead += outcome == SyncStatus.DEAD
    return done


def sync_resume() -> Delivery:
    """The periodic job: send whatever is due (retries, lapsed claims, messages whose task was lost)."""
    return sync_deliver(limit=settings.MOTCUA_NATIONAL_SYNC_BATCH)


# --- dead letters ---------------------------------------------------------------------------------


class NotDead(NotFound):
    code = "sync_message_not_dead"
    default_message = _("There is no dead letter to send again.")


def _revive(rows: Any, now: datetime) -> int:
    # The body is built again from the dossier as it stands for the event: a cause fixed in our data
    # (a procedure's code, an agency's code) is what the portal receives this time.
    return rows.update(
        status=SyncStatus.PENDING, attempts=0, next_attempt_at=now, dead_at=None, payload=None, last_error=""
    )


@transaction.atomic
def sync_message_resend(*, actor: Any, message_pk: int) -> SyncMessage:
    """Send a dead letter again once its cause is fixed (an administrator's decision, audited)."""
    row = SyncMessage.objects.select_for_update().filter(pk=message_pk, status=SyncStatus.DEAD).first()
    if row is None:
        raise NotDead()
    before = {"attempts": row.attempts, "last_error": row.last_error, "last_http_status": row.last_http_status}
    _revive(SyncMessage.objects.filter(pk=row.pk), timezone.now())
    audit(actor=actor, action="national_sync.resend", obj=row, summary=str(row), data=before)
    transaction.on_commit(lambda: _enqueue_dossier(row.dossier_id))
    row.refresh_from_db()
    return row


@transaction.atomic
def sync_dossier_resend(*, actor: Any, dossier_id: int) -> int:
    """Send again every dead letter of a dossier (audited); returns how many."""
    rows = SyncMessage.objects.select_for_update().filter(dossier_id=dossier_id, status=SyncStatus.DEAD)
    ids = list(rows.values_list("pk", flat=True))
    if not ids:
        raise NotDead()
    count = _revive(SyncMessage.objects.filter(pk__in=ids), timezone.now())
    audit(
        actor=actor,
        action="national_sync.resend_dossier",
        object_type=Dossier._meta.label,
        object_id=str(dossier_id),
        summary=f"{count}",
        data={"messages": ids},
    )
    transaction.on_commit(lambda: _enqueue_dossier(dossier_id))
    return count


def _enqueue_dossier(dossier_id: int) -> None:
    from motcua.integrations.national.tasks import sync_dossier_task

    if settings.MOTCUA_NATIONAL_SYNC_ENABLED:
        sync_dossier_task.enqueue(dossier_id=dossier_id)
