"""The fake national public-service portal (core/fakes.py): one HTTP server on 127.0.0.1:8101 whose
routes come from two parts: the sync the province pushes (``fake_sync``) and what the province pulls,
the catalog and the dossiers citizens submitted there (``fake_intake``)."""

from __future__ import annotations

from motcua.core.fakes import FakeApp

DEMO_PORT = 8101


def build_national_portal() -> FakeApp:
    from motcua.integrations.national import fake_intake, fake_sync

    app = FakeApp("national_portal")
    fake_sync.add_routes(app)
    fake_intake.add_routes(app)
    return app
