"""Reads of the outbox, scoped like the dossiers they belong to (ARCHITECTURE.md §4.5)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from motcua.dossiers.selectors import dossiers_visible_to
from motcua.notifications.models import Notification


def notifications_visible_to(user: Any) -> QuerySet[Notification]:
    """Latest first: messages about dossiers the user may see (received or decided in their agencies)."""
    visible = dossiers_visible_to(user).values("pk")
    return Notification.objects.filter(dossier__in=visible).select_related("dossier").order_by("-created_at", "-id")
