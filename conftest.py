"""Fixtures shared by every suite."""

from __future__ import annotations

import os
import uuid
from datetime import datetime
from typing import Any

import pytest
import time_machine

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by fixtures are
# still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _media_and_cache(settings: Any, tmp_path: Any) -> None:
    from motcua.catalog.processes import process_steps
    from motcua.workflow.services import published_required_documents

    # Rolled-back test transactions reuse primary keys; a published process or procedure version never
    # changes in real use.
    process_steps.cache_clear()
    published_required_documents.cache_clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_SIGNING_DIR = tmp_path / "signing"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4().hex}",
        }
    }


@pytest.fixture
def province(db: Any) -> dict[str, Any]:
    from tests.factories import make_province_tree

    return make_province_tree()


@pytest.fixture
def catalog(province: dict[str, Any]) -> Any:
    from motcua.catalog.services import catalog_import
    from tests.factories import small_catalog

    return catalog_import(actor=None, document=small_catalog())


@pytest.fixture
def monday_morning() -> Any:
    """Monday 2026-03-09 09:00 in Hà Nội time: an ordinary working day."""
    from tests.intake import HCM

    with time_machine.travel(datetime(2026, 3, 9, 9, 0, tzinfo=HCM), tick=False) as traveller:
        yield traveller


@pytest.fixture
def people(province: dict[str, Any], catalog: Any) -> dict[str, Any]:
    from motcua.identity.constants import Role
    from tests.factories import make_citizen, make_staff

    return {
        "citizen": make_citizen(personal_id="042190001234", phone="0912345678"),
        "desk": make_staff(Role.DESK_OFFICER, province["commune_a"]),
        "other_desk": make_staff(Role.DESK_OFFICER, province["commune_b"]),
        "specialist": make_staff(Role.SPECIALIST, province["commune_a"]),
    }


@pytest.fixture
def run_tasks(db: Any) -> Any:
    """``run_tasks()`` runs the ready tasks through the production worker's claim-and-run (tests/tasks.py)."""
    from tests.tasks import run_tasks as run

    return run


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch: Any, settings: Any) -> None:
    """``client.force_login(staff)`` (Django's and DRF's clients) gives a session that passed the second
    factor with a real TOTP device of that user, as if the code had been typed, and keeps it alive however
    far the test moves the clock. Tests of the second factor and of session expiry log in through the
    forms instead (``tests/second_factor.py``), so they fail if the enforcement goes."""
    from django.test import Client

    original = Client.force_login

    def force_login(self: Client, user: Any, backend: str | None = None) -> None:
        original(self, user, backend)
        from motcua.identity.second_factor import needs_second_factor
        from tests.second_factor import mark_client_verified

        if needs_second_factor(user):
            mark_client_verified(self, user)
            settings.MOTCUA_STAFF_SESSION_HOURS = settings.MOTCUA_STAFF_IDLE_MINUTES = 10**7

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def fake_service(settings: Any) -> Any:
    """``server = fake_service("sms")`` serves that registered fake (core/fakes.py) on a free port of
    127.0.0.1 with fresh state, points its settings at it, and stops it after the test."""
    from contextlib import ExitStack

    from motcua.core import fakes

    with ExitStack() as stack:

        def start(name: str) -> Any:
            server = stack.enter_context(fakes.running(name))
            for key, value in server.settings(fakes.service(name)).items():
                setattr(settings, key, value)
            return server

        yield start
