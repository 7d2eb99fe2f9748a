from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "motcua.identity"
    label = "identity"
    verbose_name = _("Identity")

    def ready(self) -> None:
        from motcua.core import fakes
        from motcua.identity.fake_oidc import FAKE

        fakes.register(FAKE)  # the local national identity provider (manage.py run_fakes, tests)
