"""Background side effects of the postal return: thin, take ids, safe to run again."""

from __future__ import annotations

from django_tasks import task

from motcua.integrations.postal_services import returned_by_post, shipment_open, shipment_order


@task()
def postal_pickup_task(event_id: int) -> None:
    """A result was returned by post: open its shipment and order the carrier's pickup."""
    shipment = shipment_open(event_id=event_id)
    if shipment is not None:
        shipment_order(shipment_id=shipment.pk)


@task()
def shipment_order_task(shipment_id: int) -> None:
    shipment_order(shipment_id=shipment_id)


def enqueue_postal_pickup(event_id: int) -> None:
    """Registered with the workflow writer: called for every committed event, acts on returns by post."""
    if returned_by_post(event_id):
        postal_pickup_task.enqueue(event_id=event_id)
