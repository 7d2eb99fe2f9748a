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
        from motcua.integrations import fake_population, fake_post, intake_services
        from motcua.integrations.national.fake import DEMO_PORT, build_national_portal
        from motcua.integrations.national.sync_setup import connect_sync
        from motcua.integrations.postal_services import shipments_poll
        from motcua.integrations.postal_tasks import enqueue_postal_pickup
        from motcua.workflow import writer

        # Each part registers its fake (core.fakes), periodic jobs (core.periodic) and writer hooks here.
        fakes.register(
            fakes.FakeService(
                name="national_portal",
                port=DEMO_PORT,
                build=build_national_portal,
                settings={"MOTCUA_NATIONAL_PORTAL_URL": "{url}"},
            )
        )
        # Population database and postal service (integrations/population.py, postal.py).
        fakes.register(
            fakes.FakeService(
                name="population",
                port=fake_population.DEMO_PORT,
                build=fake_population.build_population_database,
                settings={"MOTCUA_POPULATION_URL": "{url}"},
            )
        )
        fakes.register(
            fakes.FakeService(
                name="post",
                port=fake_post.DEMO_PORT,
                build=fake_post.build_post_carrier,
                settings={"MOTCUA_POST_URL": "{url}"},
            )
        )
        # A result returned by post: the pickup is ordered once the return has committed (a task).
        if enqueue_postal_pickup not in writer.on_event_committed:
            writer.on_event_committed.append(enqueue_postal_pickup)
        # Orders left pending and parcels whose callbacks were lost: the worker asks the carrier.
        periodic.register(
            "integrations.post_poll", every=timedelta(minutes=settings.MOTCUA_POST_POLL_MINUTES), job=shipments_poll
        )
        connect_sync()
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
