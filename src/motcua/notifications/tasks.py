"""Background side effects of notifications: thin, take ids, safe to run again."""

from __future__ import annotations

from django_tasks import task

from motcua.notifications.services import notification_send, notifications_for_event


@task()
def notify_event_task(event_id: int) -> None:
    """Write the applicant's messages for a committed event, then send those not sent yet."""
    for notification in notifications_for_event(event_id=event_id):
        notification_send(notification_id=notification.pk)


def enqueue_notification(event_id: int) -> None:
    """Registered with the workflow writer: runs after the transaction that wrote the event commits."""
    notify_event_task.enqueue(event_id=event_id)
