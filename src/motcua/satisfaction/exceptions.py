"""Refusals of the rating service, each with a stable code for the API."""

from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import DomainError


class AlreadyRated(DomainError):
    code = "already_rated"
    status = 409
    default_message = _("This dossier has already been rated. Thank you.")


class NotRateable(DomainError):
    code = "not_rateable"
    status = 409
    default_message = _("A dossier can be rated once its result is ready.")
