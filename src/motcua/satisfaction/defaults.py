"""Seed data: the rating criteria (editable rows). Used by the data migration and by the demo loader (a
test database flushed between browser tests has lost what the migration wrote)."""

from __future__ import annotations

from typing import Any

from motcua.satisfaction.constants import DEFAULT_CRITERIA


def seed_criteria(Criterion: Any) -> None:
    """Create the default criteria that are missing; never change an administrator's rows."""
    for position, (code, name) in enumerate(DEFAULT_CRITERIA):
        Criterion.objects.get_or_create(code=code, defaults={"name": name, "position": position})
