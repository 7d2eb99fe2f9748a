"""Ticket states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketStatus(models.TextChoices):
    """Waiting: issued, not called; called: a counter called it; served: the officer finished with the
    person; no-show: called and nobody came (it can be called again by its number)."""

    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    SERVED = "served", _("Served")
    NO_SHOW = "no_show", _("Did not come")


# Tickets a counter may call by number (a no-show who comes back is called again).
CALLABLE_STATUSES = (TicketStatus.WAITING, TicketStatus.NO_SHOW)
