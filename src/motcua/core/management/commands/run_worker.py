"""Run the task worker (``core.task_worker.LeasedWorker``): leases, retries, periodic jobs, heartbeat.

Safe to start again after a SIGKILL of a previous worker: the tasks it was running are taken again
once their lease (``MOTCUA_TASK_LEASE_SECONDS``) has expired.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.core.task_worker import LeasedWorker, default_worker_id


class Command(BaseCommand):
    help = "Run the database task worker with leases, retries, periodic jobs and a heartbeat."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds to wait when the queue is empty.")
        parser.add_argument("--max-tasks", type=int, default=None, help="Exit after running this many tasks.")
        parser.add_argument("--worker-id", default=None, help="Unique id of this worker (default: host-pid).")

    def handle(self, *args: Any, **options: Any) -> None:
        tasks_logger = logging.getLogger("motcua.tasks")
        if options["verbosity"] > 1:
            tasks_logger.setLevel(logging.DEBUG)
        worker = LeasedWorker(
            worker_id=options["worker_id"] or default_worker_id(),
            interval=options["interval"],
            max_tasks=options["max_tasks"],
        )
        worker.configure_signals()
        worker.run()
