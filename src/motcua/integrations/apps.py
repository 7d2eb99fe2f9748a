from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    """National portal sync, population database and postal service: adapters with local fakes."""

    name = "motcua.integrations"
    label = "integrations"
    verbose_name = _("National connections")

    def ready(self) -> None:
        # Each part registers its fake (core.fakes), periodic jobs (core.periodic) and writer hooks here.
        return None
