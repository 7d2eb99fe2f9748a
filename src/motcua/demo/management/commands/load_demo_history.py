from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.agencies.models import Agency
from motcua.demo import voice_satisfaction
from motcua.demo.history import (
    DEMO_HISTORY_DAYS,
    DEMO_HISTORY_DOSSIERS,
    DEMO_HISTORY_SEED,
    DEMO_INBOX_CAP,
    demo_history_load,
)
from motcua.demo.synthetic import NothingToSeed


class Command(BaseCommand):
    help = (
        "Load the demo's year of history once (synthetic dossiers with their events, daily and monthly counts "
        "rebuilt); a second run adds nothing. Run after load_demo."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dossiers", type=int, default=DEMO_HISTORY_DOSSIERS)
        parser.add_argument("--days", type=int, default=DEMO_HISTORY_DAYS)
        parser.add_argument("--seed", type=int, default=DEMO_HISTORY_SEED)
        parser.add_argument("--inbox-cap", type=int, default=DEMO_INBOX_CAP)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dossiers"] < 0 or options["days"] < 1 or options["inbox_cap"] < 0 or options["seed"] < 0:
            raise CommandError("--dossiers ≥ 0, --days ≥ 1, --inbox-cap ≥ 0 and --seed ≥ 0")
        try:
            outcome = demo_history_load(
                dossiers=options["dossiers"],
                days=options["days"],
                seed=options["seed"],
                inbox_cap=options["inbox_cap"],
            )
        except NothingToSeed as exc:
            raise CommandError(f"{exc}: load the province first (manage.py load_demo)") from exc
        for line in outcome.lines():
            self.stdout.write(line)
        # Ratings need returned dossiers: the history's (issue 17). Once, like the history.
        root = Agency.objects.filter(parent__isnull=True).order_by("path").first()
        if root is not None:
            voice_satisfaction.load({"province": root})
