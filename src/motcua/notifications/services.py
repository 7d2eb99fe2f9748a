"""Writing and sending the applicant's messages about dossier events (issue 5, item 10; issue 15, item 5),
the administrators' message templates, and the SMS gateway's delivery receipts.

The sending services are idempotent and take ids, so the task that calls them may run again safely: an
event gets at most one row per channel, and a row marked sent is never sent again.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from motcua.core.audit import audit
from motcua.core.identifiers import normalize_phone
from motcua.core.site import rating_url, tracking_url
from motcua.dossiers.constants import Channel, ReturnMethod
from motcua.dossiers.models import DossierEvent, DossierResult
from motcua.notifications import message_templates
from motcua.notifications.channels import channel_for
from motcua.notifications.constants import KIND_BY_ACTION, NotificationChannel, NotificationStatus
from motcua.notifications.default_templates import DEFAULT_TEMPLATES
from motcua.notifications.exceptions import (
    MessageRefused,
    ReceiptSignatureInvalid,
    TemplateInvalid,
    UnknownMessage,
)
from motcua.notifications.models import MessageTemplate, Notification
from motcua.notifications.sms_gateway import notification_id_of, signature_problem
from motcua.workflow.constants import Action

logger = logging.getLogger(__name__)

ERROR_MAX_LENGTH = 1000
RECEIPT_REASON_MAX_LENGTH = 200


def _kind(event: DossierEvent) -> str | None:
    if event.action == Action.SUBMIT and event.dossier.channel != Channel.ONLINE:
        return None
    return KIND_BY_ACTION.get(event.action)


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def _context(event: DossierEvent) -> dict[str, Any]:
    """The values of message_templates.VARIABLES for this event."""
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
        "rating_url": rating_url(dossier.code),
    }


def _template_texts(kind: str, channels: list[str]) -> dict[str, tuple[str, str]]:
    """Channel → (subject, body) of the active templates of ``kind``, in the order of ``channels``: the
    administrators' row, or the shipped text where there is no row (default_templates); an inactive row
    sends nothing."""
    rows = {
        row.channel: row
        for row in MessageTemplate.objects.filter(kind=kind, channel__in=channels).only(
            "channel", "subject", "body", "active"
        )
    }
    texts = {}
    for channel in channels:
        row = rows.get(channel)
        if row is None:
            texts[channel] = DEFAULT_TEMPLATES[(kind, channel)]
        elif row.active:
            texts[channel] = (row.subject, row.body)
    return texts


def notifications_for_event(*, event_id: int) -> list[Notification]:
    """The messages an event sends the applicant (e-mail if the dossier has an address, SMS if it has
    a phone), created once per channel from the active template of its kind and channel
    (``MessageTemplate``); an event of no interest to the applicant gives none."""
    event = (
        DossierEvent.objects.select_related("dossier__procedure", "dossier__receiving_agency")
        .filter(pk=event_id)
        .first()
    )
    kind = _kind(event) if event is not None else None
    if event is None or kind is None:
        return []
    dossier = event.dossier
    recipients: dict[str, str] = {
        NotificationChannel.EMAIL: dossier.applicant_email.strip(),
        NotificationChannel.SMS: normalize_phone(dossier.applicant_phone),
    }
    texts = _template_texts(kind, [channel for channel, recipient in recipients.items() if recipient])
    context = _context(event) if texts else {}
    notifications = []
    for channel, (subject, body) in texts.items():
        email = channel == NotificationChannel.EMAIL
        notification, _created = Notification.objects.get_or_create(
            event=event,
            channel=channel,
            defaults={
                "dossier": dossier,
                "recipient": recipients[channel],
                "subject": message_templates.render(subject, context, one_line=True)[:255] if email else "",
                "body": message_templates.render(body, context, one_line=not email),
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
            provider_id = channel_for(notification.channel).send(notification)
        except Exception as exc:  # noqa: BLE001 - any gateway error is kept on the row; the resend job retries
            logger.warning("notification %s failed: %s", notification.pk, exc)
            Notification.objects.filter(pk=notification.pk, status=NotificationStatus.PENDING).update(
                status=NotificationStatus.FAILED,
                last_error=f"{type(exc).__name__}: {exc}"[:ERROR_MAX_LENGTH],
                failed_for_good=isinstance(exc, MessageRefused),  # the gateway refused it: no resend
            )
        else:
            sent = {"sent_at": timezone.now(), "gateway_message_id": (provider_id or "")[:64]}
            # A delivery receipt may have come in while the channel was answering: it is kept.
            marked = Notification.objects.filter(pk=notification.pk, status=NotificationStatus.PENDING).update(
                status=NotificationStatus.SENT, last_error="", **sent
            )
            if not marked:
                Notification.objects.filter(pk=notification.pk).update(**sent)
    notification.refresh_from_db()
    return notification


def notification_resend_delay(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed send: base × 2^(attempts - 1) seconds."""
    return timedelta(seconds=settings.MOTCUA_NOTIFICATION_RETRY_BASE_SECONDS * 2 ** (attempts - 1))


def notifications_due_for_resend(*, now: datetime) -> list[int]:
    """Unsent notifications to send again: failed ones whose backoff is over, which have attempts left
    (MOTCUA_NOTIFICATION_MAX_ATTEMPTS) and were not refused for good, and pending ones whose send started
    longer ago than the in-flight time (their sender died) or never started although their event is older
    than that."""
    in_flight_since = now - timedelta(seconds=settings.MOTCUA_NOTIFICATION_IN_FLIGHT_SECONDS)
    rows = Notification.objects.filter(
        Q(
            status=NotificationStatus.FAILED,
            failed_for_good=False,
            attempts__lt=settings.MOTCUA_NOTIFICATION_MAX_ATTEMPTS,
        )
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


# --- message templates ----------------------------------------------------------------------------------


def message_template_save(*, actor: Any, template: MessageTemplate) -> MessageTemplate:
    """An administrator's edit of a message template (the admin form). A template that does not render
    with the messages' variables is refused (``TemplateInvalid``, field → message) and nothing is saved:
    citizens never receive a broken message. Applies to messages written from then on."""
    errors = message_templates.template_errors(channel=template.channel, subject=template.subject, body=template.body)
    if errors:
        raise TemplateInvalid(details={field: [message] for field, message in errors.items()})
    with transaction.atomic():
        template.updated_by = actor if getattr(actor, "pk", None) else None
        template.save()
        audit(
            actor=actor,
            action="message_template_save",
            obj=template,
            summary=f"{template.kind} {template.channel}",
            data={"kind": template.kind, "channel": template.channel, "active": template.active},
        )
    return template


# --- delivery receipts of the SMS gateway ------------------------------------------------------------


def sms_receipt_verify(*, body: bytes, timestamp: str, signature: str) -> None:
    """Refuse a receipt not signed with MOTCUA_SMS_RECEIPT_SECRET or outside the replay window
    (``ReceiptSignatureInvalid``, HTTP 401; notifications.sms_gateway describes the signature)."""
    problem = signature_problem(settings.MOTCUA_SMS_RECEIPT_SECRET, body, timestamp=timestamp, signature=signature)
    if problem:
        raise ReceiptSignatureInvalid(code=problem)


def notification_receipt_record(
    *, actor: Any = None, reference: str, gateway_message_id: str, delivered: bool, reason: str, at: datetime
) -> tuple[Notification, bool]:
    """Record the gateway's delivery receipt for one SMS: delivered (``delivered_at``), or failed with
    the gateway's reason (for good: the gateway tried already, a resend would not reach the phone).

    Idempotent: the first receipt that settles a message wins; the same receipt again, or any later
    one, changes nothing. Returns the notification and whether this receipt changed it."""
    notification_id = notification_id_of(reference)
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().filter(pk=notification_id, channel=NotificationChannel.SMS).first()
            if notification_id is not None
            else None
        )
        if notification is None:
            raise UnknownMessage()
        settled = notification.status == NotificationStatus.DELIVERED or (
            notification.status == NotificationStatus.FAILED and notification.failed_for_good
        )
        if settled:
            return notification, False
        notification.gateway_message_id = notification.gateway_message_id or gateway_message_id[:64]
        if delivered:
            notification.status, notification.delivered_at, notification.last_error = (
                NotificationStatus.DELIVERED,
                at,
                "",
            )
        else:
            notification.status, notification.failed_for_good = NotificationStatus.FAILED, True
            notification.last_error = (reason.strip() or "not delivered")[:RECEIPT_REASON_MAX_LENGTH]
        notification.save(
            update_fields=["status", "delivered_at", "last_error", "failed_for_good", "gateway_message_id"]
        )
        audit(
            actor=actor,
            action="notification_receipt",
            obj=notification,
            summary=f"{notification.gateway_message_id} {notification.status}",
            data={"status": notification.status, "reason": notification.last_error},
        )
    return notification, True
