"""Print the due time of a dossier: a stable command-line contract that other tools use.

    manage.py due_at --start 2026-02-13T16:00:00+07:00 (--working-days N | --working-hours H | --calendar-days N)
                     [--cutoff HH:MM] [--pause START/END ...] [--agency CODE]

The last line of the output is the due time in ISO 8601 with the +07:00 offset. Bad input prints a
message on stderr and exits with code 2.
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.agencies.calendar import due_time_compute, parse_moment, parse_pause
from motcua.agencies.selectors import agencies_public
from motcua.core.exceptions import ValidationFailed
from motcua.core.working_time import DurationUnit

BAD_INPUT = 2
DURATIONS = {
    "working_days": DurationUnit.WORKING_DAYS,
    "working_hours": DurationUnit.WORKING_HOURS,
    "calendar_days": DurationUnit.CALENDAR_DAYS,
}


def _bad(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_INPUT)


class Command(BaseCommand):
    help = "Compute a due time on the deployment calendar; the last line printed is the due time (ISO 8601)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--start", required=True, help="Reception time, e.g. 2026-02-13T16:00:00+07:00.")
        duration = parser.add_argument_group("duration (exactly one)")
        duration.add_argument("--working-days", metavar="N", help="Working days; decimals allowed (1.5).")
        duration.add_argument("--working-hours", metavar="H", help="Working hours; decimals allowed.")
        duration.add_argument("--calendar-days", metavar="N", help="Calendar days (whole number).")
        parser.add_argument(
            "--cutoff", metavar="HH:MM", help="Reception after this time counts from the next working day."
        )
        parser.add_argument(
            "--pause", action="append", default=[], metavar="START/END", help="A pause of the clock; repeatable."
        )
        parser.add_argument("--agency", metavar="CODE", help="Use this agency's calendar (its overrides included).")

    def handle(self, *args: Any, **options: Any) -> None:
        given = [(name, options[name]) for name in DURATIONS if options.get(name) is not None]
        if len(given) != 1:
            raise _bad("Give exactly one of --working-days, --working-hours or --calendar-days.")
        name, text = given[0]
        option = "--" + name.replace("_", "-")
        try:
            amount = Decimal(str(text).strip())
        except InvalidOperation:
            raise _bad(f"{option}: “{text}” is not a number.") from None
        if not amount.is_finite() or amount < 0:
            raise _bad(f"{option}: the duration must be a number of 0 or more, got “{text}”.")
        try:
            start = parse_moment(options["start"])
        except ValueError as exc:
            raise _bad(f"--start: {exc}") from None
        cutoff = self._cutoff(options.get("cutoff"))
        pauses = []
        for pause in options["pause"]:
            try:
                pauses.append(parse_pause(pause))
            except ValueError as exc:
                raise _bad(f"--pause: {exc}") from None
        agency = None
        if code := options.get("agency"):
            agency = agencies_public().filter(code=code.strip().upper()).first()
            if agency is None:
                raise _bad(f"--agency: no active agency has the code “{code}”.")
        try:
            result = due_time_compute(
                start=start, amount=amount, unit=DURATIONS[name], cutoff=cutoff, pauses=pauses, agency=agency
            )
        except ValidationFailed as exc:
            raise _bad(str(exc.message)) from None
        if options["verbosity"] >= 2:
            self.stdout.write(f"clock start: {result.clock_start.isoformat()}")
        self.stdout.write(result.due_at.isoformat())

    @staticmethod
    def _cutoff(text: str | None) -> time | None:
        if text is None:
            return None
        try:
            cutoff = time.fromisoformat(text.strip())
        except ValueError:
            raise _bad(f"--cutoff: “{text}” is not a time like 15:00.") from None
        if cutoff.tzinfo is not None:
            raise _bad("--cutoff: give a local time without an offset, like 15:00.")
        return cutoff
