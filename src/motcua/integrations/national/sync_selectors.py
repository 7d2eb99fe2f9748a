"""Reads of the national sync outbox, scoped like the dossiers they belong to (ARCHITECTURE.md §4.5)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from motcua.dossiers.selectors import dossiers_for_staff
from motcua.integrations.sync_models import SyncMessage, SyncStatus


def sync_messages_visible_to(user: Any) -> QuerySet[SyncMessage]:
    """Messages about the dossiers the staff member sees, with their dossier and event."""
    visible = dossiers_for_staff(user).values("pk")
    return SyncMessage.objects.filter(dossier__in=visible).select_related("dossier", "event")


def dead_letters_visible_to(user: Any) -> QuerySet[SyncMessage]:
    """Dead letters first by age (the oldest blocks its dossier longest)."""
    return sync_messages_visible_to(user).filter(status=SyncStatus.DEAD).order_by("dead_at", "id")


def sync_message_for(user: Any, pk: int) -> SyncMessage | None:
    return sync_messages_visible_to(user).filter(pk=pk).first()


def dossier_messages(message: SyncMessage) -> QuerySet[SyncMessage]:
    """Every message of the message's dossier in order (the view shows what a dead letter holds back)."""
    return SyncMessage.objects.filter(dossier_id=message.dossier_id).order_by("sequence")


def sync_counts(user: Any) -> dict[str, int]:
    """Messages not yet acknowledged and dead letters, for the staff member's dossiers."""
    rows = sync_messages_visible_to(user).exclude(status=SyncStatus.DELIVERED)
    counts = dict.fromkeys(SyncStatus.values, 0)
    for status in rows.values_list("status", flat=True):
        counts[status] += 1
    return counts
