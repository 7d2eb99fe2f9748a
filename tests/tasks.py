"""Running queued tasks in a test through the production worker's own claim-and-run.

The test settings already run each task when the transaction that queued it commits (see
``core/task_queue.py``). ``run_tasks`` is for the rest: tasks left in the queue (a test without
``django_capture_on_commit_callbacks``), retries whose time has come (travel in time first), or a test
that wants to see the queue before the worker.
"""

from __future__ import annotations

from motcua.core.task_worker import run_ready_tasks


def run_tasks(*, limit: int | None = 1000) -> int:
    """Run ready tasks until none is ready; how many ran (``limit`` stops a task that requeues itself)."""
    return run_ready_tasks(worker_id="test-worker", limit=limit)
