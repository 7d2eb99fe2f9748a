from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "motcua.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from motcua.notifications.tasks import enqueue_notification
        from motcua.workflow import writer

        # Workflow announces committed events; notifications sits above it and listens (no signals).
        if enqueue_notification not in writer.on_event_committed:
            writer.on_event_committed.append(enqueue_notification)
