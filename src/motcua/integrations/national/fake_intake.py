"""Routes of the fake national portal that the province pulls: the procedure catalog and the dossiers
citizens submitted on the national portal."""

from __future__ import annotations

from motcua.core.fakes import FakeApp


def add_routes(app: FakeApp) -> None:
    return None
