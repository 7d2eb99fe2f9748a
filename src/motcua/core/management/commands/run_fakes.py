"""Serve every registered fake external service on its demo port (``make demo``; core/fakes.py)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core import fakes


class Command(BaseCommand):
    help = "Serve the local fakes of the external services (national portal, identity, post, SMS...) on 127.0.0.1."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", nargs="*", default=None, help="Names of the fakes to serve (default: all).")
        parser.add_argument(
            "--port", type=int, default=None, help="Serve the one fake named by --only on this port (benches)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["port"] is not None and len(options["only"] or []) != 1:
            raise CommandError("--port serves one fake: name it with --only")
        servers = []
        for service in fakes.registered():
            if options["only"] and service.name not in options["only"]:
                continue
            server = fakes.FakeServer(service.build(), options["port"] or service.port).start()
            servers.append(server)
            self.stdout.write(f"fake {service.name}: {server.url}")
        if not servers:
            self.stdout.write("no fake is registered")
            return
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            for server in servers:
                server.stop()
