"""Feedback channels, subjects and states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedbackChannel(models.TextChoices):
    PORTAL = "portal", _("Public portal")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Telephone")
    LETTER = "letter", _("Letter")
    DESK = "desk", _("In person at the desk")


# Channels a staff member enters on someone's behalf (the portal is the public's own).
STAFF_CHANNELS = (FeedbackChannel.EMAIL, FeedbackChannel.PHONE, FeedbackChannel.LETTER, FeedbackChannel.DESK)


class FeedbackSubject(models.TextChoices):
    """What the feedback is about."""

    PROCEDURE = "procedure", _("An administrative procedure")
    DOSSIER = "dossier", _("A dossier")
    OFFICER = "officer", _("An officer's conduct")
    OTHER = "other", _("Something else")


class FeedbackStatus(models.TextChoices):
    """Open: assigned to a unit and waiting for its answer; answered; declined: not handled, with the reason
    (anonymous abuse, a duplicate, outside the administration's remit), which closes it like an answer."""

    OPEN = "open", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")
    DECLINED = "declined", _("Declined")


CLOSED_STATUSES = (FeedbackStatus.ANSWERED, FeedbackStatus.DECLINED)

# The answering deadline when no rule says otherwise (DOMAIN.md §11: "10 working days is a common rule").
DEFAULT_ANSWER_DAYS = 10
