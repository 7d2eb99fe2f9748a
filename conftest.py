"""Fixtures shared by every suite."""

from __future__ import annotations

import os
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by fixtures are
# still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _media_and_cache(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{os.getpid()}-{id(tmp_path)}",
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
