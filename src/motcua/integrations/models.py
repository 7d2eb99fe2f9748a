"""Models of the national connections: the outbox of national sync, the national intake, postal orders."""

from motcua.integrations.intake_models import IntakeStatus, NationalCursor, NationalIntake, NationalPull, PullKind
from motcua.integrations.postal_models import PostalTariff, Shipment, ShipmentStatus, ShipmentUpdate
from motcua.integrations.sync_models import SyncKind, SyncMessage, SyncStatus

__all__ = [
    "IntakeStatus",
    "NationalCursor",
    "NationalIntake",
    "NationalPull",
    "PostalTariff",
    "PullKind",
    "Shipment",
    "ShipmentStatus",
    "ShipmentUpdate",
    "SyncKind",
    "SyncMessage",
    "SyncStatus",
]
