"""Reading the database beside the live server of a browser journey."""

from __future__ import annotations

import time
from typing import Any

from django.db import OperationalError


def read(query: Any, timeout: float = 10.0) -> Any:
    """A value read beside the live server (SQLite's shared in-memory database may be busy a moment)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return query()
        except OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
