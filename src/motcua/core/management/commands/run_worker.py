"""Run the task worker and keep its heartbeat fresh (read by /healthz)."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from motcua.core.health import beat


class Command(BaseCommand):
    help = "Run the database task worker with a heartbeat."

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = f"{socket.gethostname()}-{threading.get_native_id()}"
        stop = threading.Event()

        def heartbeat() -> None:
            while not stop.is_set():
                try:
                    beat(worker_id)
                except Exception as exc:  # noqa: BLE001 - keep beating after a transient DB error
                    self.stderr.write(f"heartbeat failed: {exc}")
                finally:
                    close_old_connections()
                    connection.close()
                stop.wait(settings.WORKER_HEARTBEAT_SECONDS)

        beat(worker_id)
        thread = threading.Thread(target=heartbeat, name="heartbeat", daemon=True)
        thread.start()
        try:
            call_command("db_worker", "--queue-name", "*", "--interval", "1", "--no-startup-delay")
        finally:
            stop.set()
            time.sleep(0)
