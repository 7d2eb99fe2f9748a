"""Refusals of the feedback services, each with a stable code for the API."""

from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import DomainError


class FeedbackClosed(DomainError):
    code = "feedback_closed"
    status = 409
    default_message = _("This feedback has already been answered or declined.")


class FeedbackNotAnswered(DomainError):
    code = "feedback_not_answered"
    status = 409
    default_message = _("Only an answered feedback can be published.")


class FeedbackNoConsent(DomainError):
    code = "feedback_no_consent"
    status = 409
    default_message = _("The sender did not agree to the answer being published.")
