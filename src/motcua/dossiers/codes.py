"""Dossier codes ``<agency code>-<YYMMDD>-<NNNN>``: per receiving agency and day, consecutive, never reused."""

from __future__ import annotations

from datetime import date, datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.dossiers.models import DossierCounter


def allocate_dossier_code(*, agency: Agency, at: datetime) -> str:
    """Take the next number of the agency's day counter inside the caller's transaction.

    The counter row is updated in place, so concurrent receptions queue on its row lock (PostgreSQL)
    or on the write lock (SQLite); a rolled-back dossier rolls its number back too, so no gap appears.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_dossier_code must run inside the dossier's transaction")
    day = timezone.localdate(at)
    number = _increment(agency.pk, day)
    if number is None:
        try:
            with transaction.atomic():  # savepoint: a concurrent first dossier of the day may win the insert
                DossierCounter.objects.create(agency=agency, day=day, last=1)
            number = 1
        except IntegrityError:
            number = _increment(agency.pk, day)
    assert number is not None
    return f"{agency.code}-{day:%y%m%d}-{number:04d}"


def _increment(agency_id: int, day: date) -> int | None:
    """Add one to the day's counter and read it back in the same statement (PostgreSQL and SQLite ≥ 3.35)."""
    table = connection.ops.quote_name(DossierCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last = last + 1 WHERE agency_id = %s AND day = %s RETURNING last", [agency_id, day]
        )
        row = cursor.fetchone()
    return int(row[0]) if row else None
