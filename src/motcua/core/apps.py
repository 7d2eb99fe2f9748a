from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "motcua.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from motcua.core import checks  # noqa: F401 - registers the deploy check of the demo secrets
