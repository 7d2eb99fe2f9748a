"""`manage.py due_at`: the command-line contract (last line = due time, exit code 2 on bad input)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from motcua.agencies.calendar import calendar_day_set

ROOT = Path(__file__).resolve().parents[4]
START = "2026-02-13T16:00:00+07:00"  # Friday before Tết 2026


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def due_at(*args: str) -> list[str]:
    out = StringIO()
    call_command("due_at", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--start", START, "--working-days", "3"], "2026-02-25T16:00:00+07:00"),
        (["--start", START, "--working-days", "3", "--cutoff", "15:00"], "2026-02-25T17:00:00+07:00"),
        (["--start", "2026-08-28T10:00:00+07:00", "--working-days", "2"], "2026-09-04T10:00:00+07:00"),
        (["--start", START, "--working-days", "1.5"], "2026-02-24T10:30:00+07:00"),
        (["--start", START, "--working-hours", "4"], "2026-02-23T10:30:00+07:00"),
        (["--start", START, "--working-days", "0"], "2026-02-13T16:00:00+07:00"),
        # Calendar days end at closing time; 16/02 is Tết, so the next working day's closing.
        (["--start", START, "--calendar-days", "3"], "2026-02-23T17:00:00+07:00"),
        # Received in UTC, shown at +07:00; a naive time is local time.
        (["--start", "2026-02-13T09:00:00Z", "--working-days", "3"], "2026-02-25T16:00:00+07:00"),
        (["--start", "2026-02-13T16:00:00", "--working-days", "3"], "2026-02-25T16:00:00+07:00"),
        # A pause covering Monday 23/02 (one working day) pushes the due time by one working day.
        (
            ["--start", START, "--working-days", "3", "--pause", "2026-02-23T07:30:00+07:00/2026-02-23T17:00:00+07:00"],
            "2026-02-26T16:00:00+07:00",
        ),
        (
            [
                "--start",
                START,
                "--working-days",
                "3",
                "--pause",
                "2026-02-23T07:30:00+07:00/2026-02-23T11:30:00+07:00",
                "--pause",
                "2026-02-23T13:00:00+07:00/2026-02-23T17:00:00+07:00",
            ],
            "2026-02-26T16:00:00+07:00",
        ),
    ],
)
def test_due_times(args: list[str], expected: str) -> None:
    assert due_at(*args) == [expected]


@pytest.mark.django_db
def test_verbose_output_keeps_the_due_time_last() -> None:
    out = StringIO()
    call_command("due_at", "--start", START, "--working-days", "3", "--cutoff", "15:00", verbosity=2, stdout=out)
    assert out.getvalue().splitlines() == ["clock start: 2026-02-23T07:30:00+07:00", "2026-02-25T17:00:00+07:00"]


@pytest.mark.django_db
def test_agency_calendar(province) -> None:
    calendar_day_set(
        actor=None, date=date(2026, 2, 16), kind="extra_working_day", name="Trực Tết", agency=province["commune_a"]
    )
    assert due_at("--start", START, "--working-days", "3", "--agency", "h99.101") == ["2026-02-24T16:00:00+07:00"]
    assert due_at("--start", START, "--working-days", "3", "--agency", "H99.102") == ["2026-02-25T16:00:00+07:00"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--start", "13/02/2026 16:00", "--working-days", "3"],
            "--start: “13/02/2026 16:00” is not a date and time like 2026-02-13T16:00:00+07:00.",
        ),
        (
            ["--start", START, "--working-days", "-1"],
            "--working-days: the duration must be a number of 0 or more, got “-1”.",
        ),
        (["--start", START, "--working-hours", "three"], "--working-hours: “three” is not a number."),
        (
            ["--start", START, "--working-days", "NaN"],
            "--working-days: the duration must be a number of 0 or more, got “NaN”.",
        ),
        (["--start", START, "--calendar-days", "1.5"], "Calendar-day durations are whole days."),
        (["--start", START], "Give exactly one of --working-days, --working-hours or --calendar-days."),
        (
            ["--start", START, "--working-days", "3", "--calendar-days", "3"],
            "Give exactly one of --working-days, --working-hours or --calendar-days.",
        ),
        (["--start", START, "--working-days", "3", "--cutoff", "3pm"], "--cutoff: “3pm” is not a time like 15:00."),
        (
            ["--start", START, "--working-days", "3", "--pause", "2026-02-23T10:00:00+07:00/2026-02-23T09:00:00+07:00"],
            "The pause ends (2026-02-23T09:00:00+07:00) before it starts (2026-02-23T10:00:00+07:00).",
        ),
        (
            ["--start", START, "--working-days", "3", "--pause", "2026-02-23T10:00:00+07:00"],
            "--pause: A pause is written START/END, e.g. 2026-03-02T08:00:00+07:00/2026-03-04T08:00:00+07:00.",
        ),
        (
            ["--start", START, "--working-days", "3", "--agency", "X99"],
            "--agency: no active agency has the code “X99”.",
        ),
        (
            ["--start", "2035-12-31T16:00:00+07:00", "--working-days", "3"],
            "The due time cannot be computed: The result would fall after the end of the calendar (2035-12-31).",
        ),
    ],
)
def test_bad_input_is_refused_with_code_2(args: list[str], message: str) -> None:
    with pytest.raises(CommandError) as refused:
        due_at(*args)
    assert (str(refused.value), refused.value.returncode) == (message, 2)


def test_command_line_contract(tmp_path: Path) -> None:
    """A real process on a database made by `migrate` alone: last line, then exit code 2 on bad input."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="motcua.test_settings",
        MOTCUA_SQLITE_PATH=str(tmp_path / "cli.sqlite3"),
        MOTCUA_VAR_DIR=str(tmp_path),
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True, capture_output=True)

    ok = subprocess.run(
        [*manage, "due_at", "--start", START, "--working-days", "3", "--cutoff", "15:00"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert (ok.returncode, ok.stdout.splitlines()[-1]) == (0, "2026-02-25T17:00:00+07:00")

    bad = subprocess.run(
        [*manage, "due_at", "--start", "yesterday", "--working-days", "3"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert (bad.returncode, bad.stdout) == (2, "")
    assert "--start: “yesterday”" in bad.stderr  # the rest is in the deployment's language

    missing = subprocess.run(
        [*manage, "due_at", "--working-days", "3"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert missing.returncode == 2  # argparse: --start is required
    assert "--start" in missing.stderr
