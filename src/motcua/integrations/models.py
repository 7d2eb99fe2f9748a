"""Models of the national connections (the outbox of national sync, postal orders...)."""

from motcua.integrations.postal_models import PostalTariff, Shipment, ShipmentStatus, ShipmentUpdate

__all__ = ["PostalTariff", "Shipment", "ShipmentStatus", "ShipmentUpdate"]
