from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "motcua.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from datetime import timedelta

        from motcua.core import fakes, periodic
        from motcua.notifications.fake_sms import DEMO_PORT, build_sms_gateway
        from motcua.notifications.services import notifications_resend
        from motcua.notifications.tasks import enqueue_notification
        from motcua.workflow import writer

        # Workflow announces committed events; notifications sits above it and listens (no signals).
        if enqueue_notification not in writer.on_event_committed:
            writer.on_event_committed.append(enqueue_notification)
        # The task worker sends again, every minute, what failed or was left pending.
        periodic.register("notifications.resend", every=timedelta(minutes=1), job=notifications_resend)
        # The fake brand-name SMS gateway (demo port 8105); a test that starts it sends SMS through it.
        fakes.register(
            fakes.FakeService(
                name="sms",
                port=DEMO_PORT,
                build=build_sms_gateway,
                settings={
                    "MOTCUA_SMS_GATEWAY_URL": "{url}",
                    "MOTCUA_SMS_CHANNEL": "motcua.notifications.sms_gateway.GatewaySmsChannel",
                },
            )
        )
