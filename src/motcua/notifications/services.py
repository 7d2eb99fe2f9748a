"""Writing and sending the applicant's messages about intake events (issue 5, item 10).

Both services are idempotent and take ids, so the task that calls them may run again safely: an event
gets at most one row per channel, and a row marked sent is never sent again.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.db.models import F
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
    """Send one notification through its channel unless it was sent already; record the outcome."""
    notification = Notification.objects.get(pk=notification_id)
    if notification.status == NotificationStatus.SENT:
        return notification
    # Claim this attempt: if two workers run the same notification, only one passes this update.
    claimed = (
        Notification.objects.filter(pk=notification.pk, attempts=notification.attempts)
        .exclude(status=NotificationStatus.SENT)
        .update(attempts=F("attempts") + 1)
    )
    if claimed:
        try:
            channel_for(notification.channel).send(notification)
        except Exception as exc:  # noqa: BLE001 - any gateway error is kept on the row; a later run retries
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
