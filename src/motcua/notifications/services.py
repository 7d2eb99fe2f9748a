"""Writing and sending the applicant's messages about intake events (issue 5, item 10).

Both services are idempotent and take ids, so the task that calls them may run again safely: an event
gets at most one row per channel, and a row marked sent is never sent again.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import F, Q
from django.template.loader import get_template
from django.utils import timezone, translation

from motcua.core.identifiers import normalize_phone
from motcua.core.site import tracking_url
from motcua.dossiers.constants import Channel, ReturnMethod
from motcua.dossiers.models import DossierEvent, DossierResult
from motcua.notifications.channels import channel_for
from motcua.notifications.constants import KIND_BY_ACTION, NotificationChannel, NotificationStatus
from motcua.notifications.models import Notification
from motcua.workflow.constants import Action

logger = logging.getLogger(__name__)

MESSAGE_LANGUAGE = "vi"  # messages go to Vietnamese citizens, whatever language the actor used
ERROR_MAX_LENGTH = 1000
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"\s+")


def _kind(event: DossierEvent) -> str | None:
    if event.action == Action.SUBMIT and event.dossier.channel != Channel.ONLINE:
        return None
    return KIND_BY_ACTION.get(event.action)


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def _context(event: DossierEvent) -> dict[str, Any]:
    dossier = event.dossier
    due = event.due_at or dossier.due_at
    result = DossierResult.objects.filter(dossier=dossier).only("number").first()
    return {
        "code": dossier.code,
        "applicant": dossier.applicant_name,
        "procedure": dossier.procedure.name,
        "agency": dossier.receiving_agency.name,
        "tracking_url": tracking_url(dossier.code),
        "due": _local(due),
        "original_due": _local(dossier.original_due_at),
        "reason": event.note,
        "items": list(event.payload.get("missing", [])),
        "amount": f"{int(event.payload.get('amount', 0)):,}".replace(",", "."),
        "result_number": result.number if result else "",
        "electronic": dossier.return_method == ReturnMethod.ELECTRONIC,
    }


def _render(kind: str, part: str, context: dict[str, Any]) -> str:
    with translation.override(MESSAGE_LANGUAGE):
        text = get_template(f"notifications/{kind}.txt#{part}").render(context)
    if part == "email":
        lines = [line.strip() for line in text.strip().splitlines()]
        return _BLANK_LINES.sub("\n\n", "\n".join(lines))
    return _SPACES.sub(" ", text).strip()  # subject and SMS: one line


def notifications_for_event(*, event_id: int) -> list[Notification]:
    """The messages an event sends the applicant (e-mail if the dossier has an address, SMS if it has
    a phone), created once per channel; an event of no interest to the applicant gives none."""
    event = (
        DossierEvent.objects.select_related("dossier__procedure", "dossier__receiving_agency")
        .filter(pk=event_id)
        .first()
    )
    kind = _kind(event) if event is not None else None
    if event is None or kind is None:
        return []
    dossier = event.dossier
    recipients = {
        NotificationChannel.EMAIL: dossier.applicant_email.strip(),
        NotificationChannel.SMS: normalize_phone(dossier.applicant_phone),
    }
    context = _context(event)
    notifications = []
    for channel, recipient in recipients.items():
        if not recipient:
            continue
        subject = _render(kind, "subject", context) if channel == NotificationChannel.EMAIL else ""
        notification, _created = Notification.objects.get_or_create(
            event=event,
            channel=channel,
            defaults={
                "dossier": dossier,
                "recipient": recipient,
                "subject": subject,
                "body": _render(kind, channel, context),
            },
        )
        notifications.append(notification)
    return notifications


def notification_send(*, notification_id: int) -> Notification:
    """Send one notification through its channel unless it was sent already or is being sent; record
    the outcome.

    At least once, and at most once but for one window: a send is claimed (``attempts`` + 1,
    ``attempted_at`` = now, status pending) by a conditional UPDATE that only one caller can pass, and
    a claim younger than MOTCUA_NOTIFICATION_IN_FLIGHT_SECONDS blocks any other; the row is marked sent
    by the statement right after the channel returns. A process that dies between the channel's
    acceptance and that statement leaves the row pending: the periodic resend sends it again once the
    in-flight time is over (the one duplicate the design allows).
    """
    notification = Notification.objects.get(pk=notification_id)
    if notification.status == NotificationStatus.SENT:
        return notification
    now = timezone.now()
    in_flight_since = now - timedelta(seconds=settings.MOTCUA_NOTIFICATION_IN_FLIGHT_SECONDS)
    claimed = (
        Notification.objects.filter(pk=notification.pk, attempts=notification.attempts)
        .filter(
            Q(status=NotificationStatus.FAILED)
            | Q(status=NotificationStatus.PENDING, attempted_at=None)
            | Q(status=NotificationStatus.PENDING, attempted_at__lt=in_flight_since)
        )
        .update(attempts=F("attempts") + 1, attempted_at=now, status=NotificationStatus.PENDING)
    )
    if claimed:
        try:
            channel_for(notification.channel).send(notification)
        except Exception as exc:  # noqa: BLE001 - any gateway error is kept on the row; the resend job retries
            logger.warning("notification %s failed: %s", notification.pk, exc)
            Notification.objects.filter(pk=notification.pk).update(
                status=NotificationStatus.FAILED, last_error=f"{type(exc).__name__}: {exc}"[:ERROR_MAX_LENGTH]
            )
        else:
            Notification.objects.filter(pk=notification.pk).update(
                status=NotificationStatus.SENT, sent_at=timezone.now(), last_error=""
            )
    notification.refresh_from_db()
    return notification


def notification_resend_delay(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed send: base × 2^(attempts - 1) seconds."""
    return timedelta(seconds=settings.MOTCUA_NOTIFICATION_RETRY_BASE_SECONDS * 2 ** (attempts - 1))


def notifications_due_for_resend(*, now: datetime) -> list[int]:
    """Unsent notifications to send again: failed ones whose backoff is over and which have attempts
    left (MOTCUA_NOTIFICATION_MAX_ATTEMPTS), and pending ones whose send started longer ago than the
    in-flight time (their sender died) or never started although their event is older than that."""
    in_flight_since = now - timedelta(seconds=settings.MOTCUA_NOTIFICATION_IN_FLIGHT_SECONDS)
    rows = Notification.objects.filter(
        Q(status=NotificationStatus.FAILED, attempts__lt=settings.MOTCUA_NOTIFICATION_MAX_ATTEMPTS)
        | Q(status=NotificationStatus.PENDING, attempted_at__lt=in_flight_since)
        | Q(status=NotificationStatus.PENDING, attempted_at=None, created_at__lt=in_flight_since)
    ).values_list("pk", "status", "attempts", "attempted_at")
    due = []
    for pk, status, attempts, attempted_at in rows.order_by("pk"):
        waiting = attempted_at is not None and attempted_at + notification_resend_delay(attempts) > now
        if status == NotificationStatus.FAILED and waiting:
            continue
        due.append(pk)
    return due


def notifications_resend() -> int:
    """The worker's periodic job: send again what failed or was left pending (see
    ``notifications_due_for_resend``). Returns how many were sent now."""
    sent = 0
    for pk in notifications_due_for_resend(now=timezone.now()):
        if notification_send(notification_id=pk).status == NotificationStatus.SENT:
            sent += 1
    return sent
