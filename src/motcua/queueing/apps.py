from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueingConfig(AppConfig):
    """The desk queue (DOMAIN.md §11): numbered tickets per service group from a kiosk, called by the desk
    officers' counters, shown on a display; issue, call and served times give the waiting-time indicator."""

    name = "motcua.queueing"
    label = "queueing"
    verbose_name = _("Desk queue")
