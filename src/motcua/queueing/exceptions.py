"""Refusals of the queue services, each with a stable code for the API."""

from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import DomainError


class QueueEmpty(DomainError):
    code = "queue_empty"
    status = 409
    default_message = _("Nobody is waiting for this counter.")


class TicketNotCallable(DomainError):
    code = "ticket_not_callable"
    status = 409
    default_message = _("This number cannot be called: it is being served, was served, or is not from today.")


class TicketNotCalled(DomainError):
    code = "ticket_not_called"
    status = 409
    default_message = _("Only a ticket called at this counter can be marked served or absent.")


class GroupClosed(DomainError):
    code = "service_group_closed"
    status = 409
    default_message = _("This service is not taking numbers now.")
