from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "motcua.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from datetime import timedelta

        from motcua.core import periodic
        from motcua.notifications.services import notifications_resend
        from motcua.notifications.tasks import enqueue_notification
        from motcua.workflow import writer

        # Workflow announces committed events; notifications sits above it and listens (no signals).
        if enqueue_notification not in writer.on_event_committed:
            writer.on_event_committed.append(enqueue_notification)
        # The task worker sends again, every minute, what failed or was left pending.
        periodic.register("notifications.resend", every=timedelta(minutes=1), job=notifications_resend)
