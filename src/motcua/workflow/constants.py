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
    TAKE = "take", _("Take")
    FORWARD = "forward", _("Forward to the next step")
    SEND_BACK = "send_back", _("Send back to the previous step")
    CONSULT = "consult", _("Consult other agencies")
    ANSWER_CONSULTATION = "answer_consultation", _("Answer a consultation")
    STOP = "stop", _("Stop processing")
    REQUEST_PAYMENT = "request_payment", _("Request the financial obligation")
    CONFIRM_PAYMENT = "confirm_payment", _("Confirm payment")
    APPROVE = "approve", _("Approve and sign")
    REJECT = "reject", _("Refuse the request")
    ISSUE_RESULT = "issue_result", _("Number and issue the result")
    RETURN_RESULT = "return_result", _("Return the result")
    APOLOGIZE = "apologize", _("Apologise and set a new due time")


class Clock(models.TextChoices):
    """What an action does to the processing clock."""

    NONE = "none", _("no change")
    START = "start", _("start")
    PAUSE = "pause", _("pause")
    RESUME = "resume", _("resume")
    FINISH = "finish", _("finish (result ready)")
    STOP = "stop", _("stop")


class Actor(models.TextChoices):
    """Who may take an action: the dossier's applicant, or staff holding a role on the right agency."""

    APPLICANT = "applicant", _("the applicant")
    DESK = "desk", _("a desk officer of the receiving agency")
    PROCESSING = "processing", _("staff of the competent agency")
    STEP_HOLDER = "step_holder", _("the person holding the current step")
    STEP_UNIT = "step_unit", _("staff with the current step's role in the holding unit")
    CONSULTED = "consulted", _("staff of an agency asked for its opinion")
    LEADER = "leader", _("a leader of the competent agency")
    PAYMENT = "payment", _("a payment the provider confirmed (signed callback)")


class ReturnVia(models.TextChoices):
    """How the result reached the applicant (trả kết quả)."""

    DESK = "desk", _("At the desk")
    POST = "post", _("Handed to the public postal service")
    ELECTRONIC = "electronic", _("Delivered electronically")
