"""With the database task queue, the notification task row commits or rolls back with the dossier."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from motcua.dossiers.models import Dossier
from motcua.workflow.services import dossier_submit_online
from tests.intake import birth_application

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE
    settings.MOTCUA_TASKS_IN_TRANSACTION = True


def test_the_task_row_is_written_in_the_dossiers_transaction(people, monday_morning, database_queue) -> None:
    with transaction.atomic():
        dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
        queued = list(DBTaskResult.objects.values_list("task_path", "args_kwargs"))
    assert queued == [
        ("motcua.notifications.tasks.notify_event_task", {"args": [], "kwargs": {"event_id": dossier.events.get().pk}})
    ]


def test_a_rolled_back_submission_leaves_no_task(people, monday_morning, database_queue) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        dossier_submit_online(actor=people["citizen"], application=birth_application())
        raise RuntimeError("a later step of the same request fails")
    assert (Dossier.objects.count(), DBTaskResult.objects.count()) == (0, 0)
