"""Prints the figures of the schemathesis run (operations, cases, time) at the end of the session."""

from __future__ import annotations

from typing import Any


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from tests.fuzz.test_openapi_fuzz import FIGURES

    if FIGURES.cases:
        terminalreporter.write_line(FIGURES.summary())
