"""Messages to applicants: one row per event and channel. The rows are also the outbox staff can read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.notifications.constants import MessageKind, NotificationChannel, NotificationStatus


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
    # A failure that no resend can cure (the gateway refused the number, or its receipt says the phone
    # was never reached): the row stays failed, with the reason in last_error.
    failed_for_good = models.BooleanField(_("failed for good"), default=False)
    # The SMS gateway's id for the message, which its delivery receipts name (notifications.sms_gateway).
    gateway_message_id = models.CharField(_("gateway message id"), max_length=64, blank=True, db_index=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

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


class MessageTemplate(models.Model):
    """The text of one kind of message on one channel, in Vietnamese, editable by administrators.

    ``subject`` and ``body`` are Django templates over the variables of ``notifications.message_templates``
    (``{{ code }}``, ``{{ due }}``, ...); a template that does not render with them is refused when saved.
    An inactive template sends nothing on its channel.
    """

    kind = models.CharField(_("kind"), max_length=32, choices=MessageKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=NotificationChannel.choices)
    subject = models.CharField(_("subject"), max_length=255, blank=True, help_text=_("E-mail only."))
    body = models.TextField(_("message"))
    active = models.BooleanField(_("active"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["kind", "channel"]
        constraints = [models.UniqueConstraint(fields=["kind", "channel"], name="unique_message_template")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_channel_display()})"
