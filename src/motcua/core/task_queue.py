"""The database task queue (``django_tasks_db``), its rows written without compiling a query.

Every dossier action enqueues its notification inside its own transaction (a transactional outbox:
``workflow.writer``). ``DBTaskResult.objects.create`` compiled an INSERT for each, about as much Python
as the rest of a reception (bench/intake.py); this backend writes the same row with ``core.rowsql``.
The worker is ``core.task_worker`` (``manage.py run_worker``).

Tests use this same queue with the option ``RUN_IN_PROCESS_ON_COMMIT``: the row is written in the
transaction as in production, and when that transaction commits (in a test: on leaving
``django_capture_on_commit_callbacks(execute=True)``, or at once in a transactional test or outside any
transaction of the code under test) the worker's own claim-and-run (``task_worker.run_ready_tasks``)
runs it in the test's process. Never set it in production: the web process would run the tasks.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import normalize_json

from motcua.core.rowsql import insert_rows


class DatabaseQueue(DatabaseBackend):
    def __init__(self, alias: str, params: dict) -> None:
        super().__init__(alias, params)
        self.run_in_process_on_commit = bool(self.options.get("RUN_IN_PROCESS_ON_COMMIT", False))

    def _task_to_db_task(self, task: Any, args: Any, kwargs: Any) -> Any:
        from django_tasks_db.models import DBTaskResult, get_date_max

        row: Any = DBTaskResult(
            id=self._get_id(),
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            # What django_tasks_db's pre_save signal does (insert_rows sends no signals): no time, no wait.
            run_after=get_date_max() if task.run_after is None else task.run_after,
            backend_name=self.alias,
        )
        return insert_rows([row])[0]

    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        result: Any = super().enqueue(task, args, kwargs)
        if self.run_in_process_on_commit:
            _run_when_committed(result.id)
        return result


def _run_when_committed(task_id: Any) -> None:
    from motcua.core.task_worker import run_ready_tasks

    run = partial(run_ready_tasks, only=[task_id])
    connection = transaction.get_connection()
    # The atomic blocks a TestCase opens around each test stand for "committed" here, as in production.
    if any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks):
        transaction.on_commit(run)
    else:
        run()
