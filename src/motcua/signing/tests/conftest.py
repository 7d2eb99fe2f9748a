from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from motcua.signing.tests.pdfs import leader_certificate


@pytest.fixture
def signing_dir(settings: Any, tmp_path: Path) -> Path:
    """An empty key store of its own, trusted roots limited to its authority."""
    settings.MOTCUA_SIGNING_DIR = tmp_path / "signing"
    settings.MOTCUA_SIGNING_TRUST_ROOTS = []
    settings.MOTCUA_SIGNING_PROVIDER = "motcua.signing.provider.LocalKeyStore"
    return settings.MOTCUA_SIGNING_DIR


@pytest.fixture
def leader(signing_dir: Path, monday_morning: Any) -> str:
    """The commune chairman holds a demo certificate; time stands at Monday 2026-03-09 09:00."""
    leader_certificate(signing_dir)
    return "lanh.dao"


@pytest.fixture(autouse=True)
def english() -> Any:
    """Summaries are asserted in English (the deployment default is Vietnamese)."""
    with translation.override("en"):
        yield
