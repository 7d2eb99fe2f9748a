from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from motcua.demo.synthetic import WINDOW_DAYS, NothingToSeed, synthetic_seed
from motcua.workflow.book_entries import book_entries_backfill


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    help = (
        "Add a realistic, reproducible synthetic history of dossiers (events, consultations) over the last "
        "~18 months, at the agencies, offerings, staff and processes already loaded (after load_demo)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dossiers", type=int, required=True, help="how many dossiers to add")
        parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same rows")
        parser.add_argument("--agency-prefix", default="", help="only offerings of agencies whose code starts so")
        parser.add_argument("--batch", type=int, default=20_000, help="dossiers per transaction (default 20000)")
        parser.add_argument(
            "--until", type=_moment, default=None, help="end of the history, ISO date-time (default: now)"
        )
        parser.add_argument(
            "--days", type=int, default=WINDOW_DAYS, help=f"days of history before --until (default {WINDOW_DAYS})"
        )
        parser.add_argument(
            "--inbox-cap", type=int, default=40, help="most open dossiers one person holds (default 40)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dossiers"] < 0 or options["batch"] < 1 or options["inbox_cap"] < 0 or options["days"] < 1:
            raise CommandError("--dossiers ≥ 0, --batch ≥ 1, --inbox-cap ≥ 0 and --days ≥ 1")
        if options["until"] is not None and options["until"] > timezone.now():
            # Reports read the current month's counts as "up to now": nothing may be stamped later.
            raise CommandError("--until must not be in the future")
        verbose = options["verbosity"] > 1
        try:
            report = synthetic_seed(
                dossiers=options["dossiers"],
                seed=options["seed"],
                agency_prefix=options["agency_prefix"],
                batch=options["batch"],
                until=options["until"],
                inbox_cap=options["inbox_cap"],
                days=options["days"],
                progress=self.stdout.write if verbose else None,
            )
        except NothingToSeed as exc:
            raise CommandError(f"{exc}: load the province first (manage.py load_demo)") from exc
        for line in report.lines():
            self.stdout.write(line)
        entries = book_entries_backfill()
        self.stdout.write(f"tracking-book entries numbered: {entries}")
