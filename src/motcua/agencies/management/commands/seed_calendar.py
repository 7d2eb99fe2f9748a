"""Seed the working-time calendar (days off, make-up working days) from the `holidays` package."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.agencies.calendar import DEFAULT_FIRST_YEAR, DEFAULT_LAST_YEAR, calendar_seed
from motcua.core.exceptions import ValidationFailed


class Command(BaseCommand):
    help = (
        "Seed the deployment calendar from the holidays package (Vietnam). Idempotent; days set by an "
        "administrator are kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--first-year", type=int, default=DEFAULT_FIRST_YEAR)
        parser.add_argument("--last-year", type=int, default=DEFAULT_LAST_YEAR)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = calendar_seed(actor=None, first_year=options["first_year"], last_year=options["last_year"])
        except ValidationFailed as exc:
            raise CommandError(str(exc.message), returncode=2) from exc
        self.stdout.write(
            f"Calendar {options['first_year']}-{options['last_year']}: created {report.created}, "
            f"updated {report.updated}, removed {report.removed}, unchanged {report.unchanged}, "
            f"kept (set by an administrator) {report.kept_admin}."
        )
