"""Routes of the fake national portal that receive the province's pushed dossiers and progress events."""

from __future__ import annotations

from motcua.core.fakes import FakeApp


def add_routes(app: FakeApp) -> None:
    return None
