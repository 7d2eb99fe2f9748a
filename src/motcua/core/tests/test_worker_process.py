"""Real processes: `manage.py run_worker` killed with SIGKILL and started again, and scripts/supervise.

The database is a SQLite file made by `migrate` alone; the worker runs the production settings.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django_tasks import task

ROOT = Path(__file__).resolve().parents[4]
DEADLINE_SECONDS = 40


@task()
def stall_once(marker: str) -> str:
    """Hangs on its first run (the worker is killed meanwhile); returns at once on the next."""
    path = Path(marker)
    if not path.exists():
        path.write_text("started")
        time.sleep(120)
    return "done"


def wait_until(check, seconds: float = DEADLINE_SECONDS) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def sqlite_env(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "MOTCUA_TASK_BACKEND")}
    env.update(
        DJANGO_SETTINGS_MODULE="motcua.settings",
        MOTCUA_SQLITE_PATH=str(tmp_path / "worker.sqlite3"),
        MOTCUA_VAR_DIR=str(tmp_path),
        MOTCUA_TASK_LEASE_SECONDS="3",
    )
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, capture_output=True)
    return env


def statuses(env: dict[str, str]) -> dict[str, str]:
    with sqlite3.connect(env["MOTCUA_SQLITE_PATH"], timeout=10) as db:
        rows = db.execute("SELECT args_kwargs, status FROM django_tasks_database_dbtaskresult").fetchall()
    return dict(rows)


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker"],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def test_a_worker_killed_mid_task_is_replaced_and_its_task_runs_again(sqlite_env, tmp_path: Path) -> None:
    marker = tmp_path / "stalled"
    finished = tmp_path / "finished"
    finished.write_text("the old row's task returns at once")
    enqueue = (
        "from motcua.core.tests.test_worker_process import stall_once;"
        "from django_tasks_db.models import DBTaskResult;"
        "from django.utils import timezone; from datetime import timedelta;"
        f"stall_once.enqueue({str(marker)!r});"
        # A row left RUNNING by a worker that predates the leases, ten minutes ago.
        f"DBTaskResult.objects.filter(pk=stall_once.enqueue({str(finished)!r}).id).update("
        "status='RUNNING', started_at=timezone.now() - timedelta(minutes=10), worker_ids=['gone'])"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", enqueue], cwd=ROOT, env=sqlite_env, check=True, capture_output=True
    )
    log = tmp_path / "worker.log"
    first = start_worker(sqlite_env, log)
    try:
        assert wait_until(marker.exists), log.read_text()  # the first worker is inside the task
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
    assert sorted(statuses(sqlite_env).values()) == ["RUNNING", "SUCCESSFUL"]  # the stalled one, the old one

    second = start_worker(sqlite_env, log)
    try:
        done = wait_until(lambda: set(statuses(sqlite_env).values()) == {"SUCCESSFUL"})
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(10)
    assert done, (statuses(sqlite_env), log.read_text())
    with sqlite3.connect(sqlite_env["MOTCUA_SQLITE_PATH"]) as db:
        leases = db.execute("SELECT count(*) FROM core_tasklease").fetchone()[0]
        rows = db.execute("SELECT worker_ids FROM django_tasks_database_dbtaskresult").fetchall()
        journal = db.execute("PRAGMA journal_mode").fetchone()[0]
    attempts = sorted(len(json.loads(ids)) for (ids,) in rows)
    assert (leases, attempts, journal) == (
        0,
        [2, 2],
        "wal",
    )  # each ran twice: the lost attempt, then the one that finished


def test_supervise_restarts_a_killed_command_and_stops_it_on_sigterm(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    child = f"import os, time; open({str(pids)!r}, 'a').write(f'{{os.getpid()}}\\n'); time.sleep(120)"
    supervisor = subprocess.Popen(
        [str(ROOT / "scripts" / "supervise"), "test child", sys.executable, "-c", child],
        env={**os.environ, "SUPERVISE_PAUSE": "0.2"},
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )

    def started() -> list[int]:
        return [int(line) for line in pids.read_text().split()] if pids.exists() else []

    try:
        assert wait_until(lambda: len(started()) == 1, 10)
        os.kill(started()[0], signal.SIGKILL)
        assert wait_until(lambda: len(started()) == 2, 10)
        supervisor.send_signal(signal.SIGTERM)
        supervisor.wait(10)
    finally:
        if supervisor.poll() is None:
            os.killpg(supervisor.pid, signal.SIGKILL)
    second = started()[1]
    assert wait_until(lambda: not Path(f"/proc/{second}").exists() or _zombie(second), 5)
    assert supervisor.returncode == 0
    assert "supervise: test child exited with status 137; starting it again in 0.2s" in supervisor.stderr.read()


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except FileNotFoundError:
        return True
