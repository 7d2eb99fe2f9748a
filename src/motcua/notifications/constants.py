"""Notification channels, delivery states, and which workflow actions the applicant is told about."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.workflow.constants import Action


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


# Action -> message kind (the template notifications/<kind>.txt). Other actions notify nobody; a
# submission only when the applicant submitted online (at the desk they hold the receipt already).
KIND_BY_ACTION: dict[str, str] = {
    Action.SUBMIT: "submitted",
    Action.RECEIVE: "received",
    Action.REFUSE: "refused",
    Action.REQUEST_SUPPLEMENT: "supplement_requested",
    Action.WITHDRAW: "withdrawn",
    Action.REQUEST_PAYMENT: "payment_requested",
    Action.STOP: "stopped",
    Action.APOLOGIZE: "apology",
    Action.ISSUE_RESULT: "result_ready",
}
