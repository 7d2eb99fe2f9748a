"""Models of the national connections (the outbox of national sync, postal orders...)."""

from motcua.integrations.sync_models import SyncKind, SyncMessage, SyncStatus

__all__ = ["SyncKind", "SyncMessage", "SyncStatus"]
