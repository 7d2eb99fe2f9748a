"""The tracking book entry of a dossier (Thông tư 03/2025/TT-VPCP: the receipt gives the book's volume and
the entry number): one volume per desk and year (the receiving agency's for a dossier received
without a desk), entries numbered in the order of reception, without gaps, written in the reception's
transaction so that a rolled-back reception gives its number back."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from django.db import connection
from django.utils import timezone

from motcua.core.rowsql import quote
from motcua.dossiers.models import Dossier
from motcua.workflow.models import BookEntry, BookVolume


def volume_of(dossier: Dossier, at: datetime, *, desk_code: str) -> str:
    """``<desk code>/<year>``, or ``<receiving agency code>/<year>`` without a desk (local year)."""
    return volume_name(desk_code or dossier.receiving_agency.code, at)


def volume_name(owner_code: str, at: datetime) -> str:
    return f"{owner_code}/{timezone.localtime(at).year}"


@cache
def _sql(vendor: str) -> tuple[str, str]:
    """(upsert of the volume's counter returning the new number, insert of the entry)."""
    volumes, entries = quote(BookVolume._meta.db_table), quote(BookEntry._meta.db_table)
    upsert = (
        f"INSERT INTO {volumes} (volume, last) VALUES (%s, 1) "
        f"ON CONFLICT (volume) DO UPDATE SET last = {volumes}.last + 1 RETURNING last"
    )
    insert = f"INSERT INTO {entries} (dossier_id, volume, number)"
    return upsert, insert


def book_entry_add(dossier: Dossier, at: datetime, *, desk_code: str) -> None:
    """Give the dossier the next entry of its volume, inside the reception's transaction.

    The counter row is upserted: concurrent receptions at one desk queue on its row lock and each gets
    its own number. PostgreSQL does it in one statement (a data-modifying ``WITH``); SQLite, whose
    writes are serialised anyway, in two.
    """
    volume = volume_of(dossier, at, desk_code=desk_code)
    upsert, insert = _sql(connection.vendor)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH counter AS ({upsert}) {insert} SELECT %s, %s, last FROM counter", [volume, dossier.pk, volume]
            )
        else:
            cursor.execute(upsert, [volume])
            (number,) = cursor.fetchone()
            cursor.execute(f"{insert} VALUES (%s, %s, %s)", [dossier.pk, volume, number])


def book_entries_backfill(*, batch_size: int = 5000, models: tuple[Any, Any, Any] | None = None) -> int:
    """Give every received dossier that has no entry yet (received before books were numbered, or loaded
    in bulk by the demo's history) the next entries of its volume, in the order of reception; returns
    how many. Idempotent: a second run finds nothing to do. ``models``: (Dossier, BookEntry, BookVolume)
    of a migration's historical state, else the current ones."""
    dossier_model, entry_model, volume_model = models or (Dossier, BookEntry, BookVolume)
    rows: Any = (
        dossier_model.objects.filter(received_at__isnull=False, book_entry__isnull=True)
        .order_by("received_at", "id")
        .values_list("id", "received_at", "desk__code", "receiving_agency__code")
    )
    last = dict(volume_model.objects.values_list("volume", "last"))
    entries = []
    for dossier_id, received_at, desk_code, agency_code in rows.iterator(chunk_size=batch_size):
        volume = volume_name(desk_code or agency_code, received_at)
        last[volume] = last.get(volume, 0) + 1
        entries.append(entry_model(dossier_id=dossier_id, volume=volume, number=last[volume]))
    entry_model.objects.bulk_create(entries, batch_size=batch_size)
    for volume, number in last.items():
        volume_model.objects.update_or_create(volume=volume, defaults={"last": number})
    return len(entries)
