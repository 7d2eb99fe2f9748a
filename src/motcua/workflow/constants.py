"""Workflow actions, clock effects and actor kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    SUBMIT = "submit", _("Submit")
    RECEIVE = "receive", _("Receive")
    REFUSE = "refuse", _("Refuse")
    REQUEST_SUPPLEMENT = "request_supplement", _("Request a supplement")
    SUBMIT_SUPPLEMENT = "submit_supplement", _("Submit the supplement")
    WITHDRAW = "withdraw", _("Withdraw")


class Clock(models.TextChoices):
    """What an action does to the processing clock."""

    NONE = "none", _("no change")
    START = "start", _("start")
    PAUSE = "pause", _("pause")
    RESUME = "resume", _("resume")
    STOP = "stop", _("stop")


class Actor(models.TextChoices):
    """Who may take an action: the dossier's applicant, or staff holding a role on the right agency."""

    APPLICANT = "applicant", _("the applicant")
    DESK = "desk", _("a desk officer of the receiving agency")
    PROCESSING = "processing", _("staff of the competent agency")
