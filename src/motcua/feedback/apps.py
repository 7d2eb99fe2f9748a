from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """Feedback from the public (phản ánh, kiến nghị; DOMAIN.md §11): received from the portal or entered by
    staff, assigned to the responsible unit, answered within a working-time deadline, optionally published."""

    name = "motcua.feedback"
    label = "feedback"
    verbose_name = _("Feedback")
