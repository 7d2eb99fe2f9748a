"""Notification channels, delivery states, and which workflow actions the applicant is told about."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.workflow.constants import Action


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class NotificationStatus(models.TextChoices):
    """Pending: queued or being sent; sent: the channel accepted it; delivered: the SMS gateway's receipt
    says the phone got it; failed: not sent (retried unless ``failed_for_good``) or not delivered."""

    PENDING = "pending", _("Queued")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class MessageKind(models.TextChoices):
    """What a message is about: one template per kind and channel (notifications.MessageTemplate)."""

    SUBMITTED = "submitted", _("Registered online")
    RECEIVED = "received", _("Received")
    REFUSED = "refused", _("Not received")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Documents to complete")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    PAYMENT_REQUESTED = "payment_requested", _("Payment due")
    STOPPED = "stopped", _("Processing stopped")
    APOLOGY = "apology", _("Apology and new due date")
    RESULT_READY = "result_ready", _("Result ready")
    RESULT_RETURNED = "result_returned", _("Result delivered")


# Action -> message kind (the templates of that kind, notifications.MessageTemplate). Other actions notify
# nobody; a submission only when the applicant submitted online (at the desk they hold the receipt already).
KIND_BY_ACTION: dict[str, str] = {
    Action.SUBMIT: MessageKind.SUBMITTED,
    Action.RECEIVE: MessageKind.RECEIVED,
    Action.REFUSE: MessageKind.REFUSED,
    Action.REQUEST_SUPPLEMENT: MessageKind.SUPPLEMENT_REQUESTED,
    Action.WITHDRAW: MessageKind.WITHDRAWN,
    Action.REQUEST_PAYMENT: MessageKind.PAYMENT_REQUESTED,
    Action.STOP: MessageKind.STOPPED,
    Action.APOLOGIZE: MessageKind.APOLOGY,
    Action.ISSUE_RESULT: MessageKind.RESULT_READY,
    # The result handed over (desk, post or electronic): the moment to ask how the service was (issue 17).
    Action.RETURN_RESULT: MessageKind.RESULT_RETURNED,
}
