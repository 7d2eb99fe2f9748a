"""Dossier codes ``<agency code>-<YYMMDD>-<NNNN>``: per receiving agency and day, consecutive, never reused."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
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
    counters = DossierCounter.objects.filter(agency=agency, day=day)
    if not counters.update(last=F("last") + 1):
        try:
            with transaction.atomic():  # savepoint: a concurrent first dossier of the day may win the insert
                DossierCounter.objects.create(agency=agency, day=day, last=1)
        except IntegrityError:
            counters.update(last=F("last") + 1)
    number = counters.values_list("last", flat=True).get()
    return f"{agency.code}-{day:%y%m%d}-{number:04d}"
