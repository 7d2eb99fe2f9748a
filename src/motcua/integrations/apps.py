from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    """National portal sync, population database and postal service: adapters with local fakes."""

    name = "motcua.integrations"
    label = "integrations"
    verbose_name = _("National connections")

    def ready(self) -> None:
        from motcua.core import fakes
        from motcua.integrations.national.fake import DEMO_PORT, build_national_portal
        from motcua.integrations.national.sync_setup import connect_sync

        # Each part registers its fake (core.fakes), periodic jobs (core.periodic) and writer hooks here.
        fakes.register(
            fakes.FakeService(
                name="national_portal",
                port=DEMO_PORT,
                build=build_national_portal,
                settings={"MOTCUA_NATIONAL_PORTAL_URL": "{url}"},
            )
        )
        connect_sync()
