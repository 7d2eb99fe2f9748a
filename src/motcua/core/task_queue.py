"""The database task queue (``django_tasks_db``), its rows written without compiling a query.

Every dossier action enqueues its notification inside its own transaction (a transactional outbox:
``workflow.writer``). ``DBTaskResult.objects.create`` compiled an INSERT for each, about as much Python
as the rest of a reception (bench/intake.py); this backend writes the same row with ``core.rowsql``.
Everything else (the worker, results, the admin) is django_tasks_db's own.
"""

from __future__ import annotations

from typing import Any

from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import normalize_json

from motcua.core.rowsql import insert_rows


class DatabaseQueue(DatabaseBackend):
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
