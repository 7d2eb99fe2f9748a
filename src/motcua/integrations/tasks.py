"""Background side effects of the national connections: thin, take ids, safe to run again."""

from __future__ import annotations

from django_tasks import task

from motcua.integrations.intake_services import national_intake_acknowledge


@task()
def national_intake_ack_task(intake_id: int) -> None:
    """Acknowledge an imported dossier to the national portal (once; a failure is retried by the next pull)."""
    national_intake_acknowledge(intake_id=intake_id)
