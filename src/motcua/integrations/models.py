"""Models of the national connections: the outbox of national sync, postal orders and shipments."""

from motcua.integrations.postal_models import PostalTariff, Shipment, ShipmentStatus, ShipmentUpdate
from motcua.integrations.sync_models import SyncKind, SyncMessage, SyncStatus

__all__ = ["PostalTariff", "Shipment", "ShipmentStatus", "ShipmentUpdate", "SyncKind", "SyncMessage", "SyncStatus"]
