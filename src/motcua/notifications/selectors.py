"""Reads of the outbox, scoped like the dossiers they belong to (ARCHITECTURE.md §4.5)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from motcua.core.identifiers import mask
from motcua.dossiers.selectors import dossiers_visible_to
from motcua.notifications.constants import NotificationChannel
from motcua.notifications.models import Notification


def notifications_visible_to(user: Any) -> QuerySet[Notification]:
    """Latest first: messages about dossiers the user may see (received or decided in their agencies)."""
    visible = dossiers_visible_to(user).values("pk")
    return Notification.objects.filter(dossier__in=visible).select_related("dossier").order_by("-created_at", "-id")


def dossier_messages(dossier_id: int) -> list[tuple[Notification, str]]:
    """The messages sent to a dossier's applicant, oldest first, each with its recipient masked
    (ARCHITECTURE.md §4.8). The caller has already fetched the dossier through a scoped selector."""
    rows = Notification.objects.filter(dossier_id=dossier_id).order_by("created_at", "id")
    return [(notification, mask(notification.recipient, keep=3)) for notification in rows]


def last_sms_sent_at(dossier_id: int) -> datetime | None:
    """When the applicant's latest SMS about the dossier was handed to the gateway (the citizen's page)."""
    return (
        Notification.objects.filter(dossier_id=dossier_id, channel=NotificationChannel.SMS, sent_at__isnull=False)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
