from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    """National portal sync, population database and postal service: adapters with local fakes."""

    name = "motcua.integrations"
    label = "integrations"
    verbose_name = _("National connections")

    def ready(self) -> None:
        from datetime import timedelta

        from django.conf import settings

        from motcua.core import fakes, periodic
        from motcua.integrations import intake_services
        from motcua.integrations.national.fake import DEMO_PORT, build_national_portal

        # Each part registers its fake (core.fakes), periodic jobs (core.periodic) and writer hooks here.
        fakes.register(
            fakes.FakeService(
                name="national_portal",
                port=DEMO_PORT,
                build=build_national_portal,
                settings={"MOTCUA_NATIONAL_PORTAL_URL": "{url}"},
            )
        )
        # National intake (the pull side): the submitted dossiers often, the catalog daily.
        periodic.register(
            "integrations.national_intake_pull",
            every=timedelta(minutes=settings.MOTCUA_NATIONAL_INTAKE_EVERY_MINUTES),
            job=intake_services.intake_job,
        )
        periodic.register(
            "integrations.national_catalog_pull",
            every=timedelta(hours=settings.MOTCUA_NATIONAL_CATALOG_EVERY_HOURS),
            job=intake_services.catalog_job,
        )
