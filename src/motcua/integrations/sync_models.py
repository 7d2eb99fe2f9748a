"""The outbox of the national portal sync: one row per message, written with the event that causes it.

A row is written inside the workflow writer's transaction (``workflow.writer.on_event_written``): the
dossier's new state and its message to the portal commit together or not at all, and a process that
dies after the commit leaves the row for the periodic job to send. Rows of a dossier carry a sequence
number (1, 2, …) and are delivered strictly in that order (``integrations.national.sync``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier, DossierEvent


class SyncKind(models.TextChoices):
    DOSSIER = "dossier", _("Dossier record")
    EVENT = "event", _("Progress event")


class SyncStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    DELIVERED = "delivered", _("Acknowledged by the portal")
    DEAD = "dead", _("Dead letter")


class SyncMessage(models.Model):
    """One message to the national portal: the dossier's record (upsert) or one progress event, as of
    ``event``. ``payload`` is the wire body, frozen at the first attempt so that every retry sends the
    same bytes under the same message id (the portal deduplicates on it)."""

    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(DossierEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="+")
    sequence = models.PositiveIntegerField(_("sequence"))
    kind = models.CharField(_("kind"), max_length=10, choices=SyncKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=SyncStatus.choices, default=SyncStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    queued_at = models.DateTimeField(_("queued at"))
    # When the next attempt may start; while SENDING, when the sender's claim lapses (it died).
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    payload = models.JSONField(_("payload"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_http_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    lag_ms = models.PositiveIntegerField(_("lag (ms)"), null=True, blank=True)  # queued → acknowledged
    dead_at = models.DateTimeField(_("dead letter since"), null=True, blank=True)

    class Meta:
        verbose_name = _("national sync message")
        verbose_name_plural = _("national sync messages")
        constraints = [models.UniqueConstraint(fields=["dossier", "sequence"], name="sync_message_dossier_sequence")]
        indexes = [
            # What the sender looks at: the few rows not yet delivered, by due time.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=models.Q(status__in=["pending", "sending"]),
                name="sync_message_due",
            ),
            models.Index(fields=["status", "dead_at"], condition=models.Q(status="dead"), name="sync_message_dead"),
            models.Index(fields=["delivered_at"], name="sync_message_delivered"),
        ]

    def __str__(self) -> str:
        return self.message_id

    @property
    def message_id(self) -> str:
        """The idempotent id the portal deduplicates on: the dossier's code and the sequence."""
        return message_id(self.dossier.code, self.sequence)


def message_id(code: str, sequence: int) -> str:
    return f"{code}.{sequence}"
