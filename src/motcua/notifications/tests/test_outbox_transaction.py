"""With the database task queue, the notification task row commits or rolls back with the dossier."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from motcua.dossiers.models import Dossier
from motcua.workflow.services import dossier_submit_online
from tests.intake import birth_application

DATABASE_QUEUE = {"default": {"BACKEND": "motcua.core.task_queue.DatabaseQueue"}}


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


def test_the_queue_writes_the_row_django_tasks_db_would(people, monday_morning, settings) -> None:
    """core.task_queue writes the row itself: the same row as django_tasks_db's own backend, ready for its worker."""
    from django_tasks import task_backends

    from motcua.notifications.tasks import notify_event_task

    rows = {}
    for backend in ("django_tasks_db.DatabaseBackend", "motcua.core.task_queue.DatabaseQueue"):
        settings.TASKS = {"default": {"BACKEND": backend}}
        result = notify_event_task.enqueue(event_id=41)
        row = DBTaskResult.objects.get(pk=result.id)
        assert row in DBTaskResult.objects.ready()  # what the worker picks up
        assert task_backends["default"].get_result(result.id).status == result.status == "READY"
        rows[backend] = {k: v for k, v in vars(row).items() if k not in ("_state", "id")}
    assert rows["motcua.core.task_queue.DatabaseQueue"] == rows["django_tasks_db.DatabaseBackend"]
