"""Messages to applicants: one row per event and channel. The rows are also the outbox staff can read."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.notifications.constants import NotificationChannel, NotificationStatus


class Notification(models.Model):
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.ForeignKey(
        DossierEvent,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=NotificationChannel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)  # an e-mail address or a phone number
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("message"))
    status = models.CharField(
        _("status"), max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # When the last send started: a send started less than MOTCUA_NOTIFICATION_IN_FLIGHT_SECONDS ago is
    # not started again, and a failed one is sent again after its backoff (notifications.services).
    attempted_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        # The periodic resend reads the unsent rows only.
        indexes = [models.Index(fields=["status", "attempted_at"], name="notification_status_attempt")]
        constraints = [
            # An event is never notified twice on the same channel, however often its task runs.
            models.UniqueConstraint(fields=["event", "channel"], name="unique_notification_per_event_channel")
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.dossier_id} {self.status}"
