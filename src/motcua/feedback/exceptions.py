"""Refusals of the feedback services, each with a stable code for the API."""

from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import DomainError, NotFound


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


class FeedbackNotFound(NotFound):
    """No feedback has this code (the code is its sender's receipt)."""

    code = "feedback_not_found"
    default_message = _("No feedback has this code.")


class FeedbackLookupsExhausted(DomainError):
    code = "too_many_lookups"
    status = 429
    default_message = _("Too many unsuccessful look-ups from your connection. Wait ten minutes and try again.")
