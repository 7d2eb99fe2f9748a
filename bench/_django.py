"""Start Django for a benchmark on a throw-away database (SQLite in a temp dir, or DATABASE_URL)."""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    if os.environ.get("DATABASE_URL"):
        # A name of our own: never the test database of a concurrent pytest run.
        os.environ.setdefault("MOTCUA_TEST_DB", f"test_motcua_bench_{os.getpid()}")
    else:
        os.environ["MOTCUA_SQLITE_PATH"] = str(Path(tempfile.mkdtemp(prefix="motcua-bench-")) / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    os.environ.setdefault("MOTCUA_DEMO", "1")  # a throw-away database: the demo key is fine
    os.environ.setdefault("MOTCUA_PLAIN_STATIC", "1")
    os.environ.setdefault("MOTCUA_LOG_LEVEL", "WARNING")
    import django
    from django.core.management import call_command

    django.setup()
    if os.environ.get("DATABASE_URL"):
        from django.test.utils import setup_databases

        setup_databases(verbosity=0, interactive=False)  # a test_ database: never the real one
    else:
        call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def time_calls(call: Callable[[], Any], *, seconds: float, warmup: int = 20) -> list[float]:
    """Latencies in milliseconds of repeated calls for about ``seconds``."""
    for _ in range(warmup):
        call()
    samples: list[float] = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summary(samples: list[float]) -> dict[str, float]:
    return {"n": len(samples), "p50": round(statistics.median(samples), 3), "p95": round(percentile(samples, 95), 3)}


def report(*, bench: str, value: float, unit: str, baseline: float, target: float, met: bool) -> None:
    """The last line every bench prints: one JSON object, comparable across runs."""
    print(
        json.dumps(
            {
                "bench": bench,
                "value": round(value, 3),
                "unit": unit,
                "baseline": round(baseline, 3),
                "ratio": round(value / baseline, 3) if baseline else None,
                "target": target,
                "met": met,
            }
        )
    )


LOCAL_POSTGRES = "postgres://root@127.0.0.1:5432/postgres"


def port_answers(host: str, port: int, timeout: float = 0.5) -> bool:
    import socket

    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def prefer_local_postgres() -> str:
    """Use the local PostgreSQL when DATABASE_URL is unset and 127.0.0.1:5432 answers; name the engine.

    Call before ``setup_django``. The test database gets a name of its own (``test_motcua_bench_<pid>``)
    so that a bench never clobbers the test database of a concurrent pytest run.
    """
    if not os.environ.get("DATABASE_URL") and port_answers("127.0.0.1", 5432):
        os.environ["DATABASE_URL"] = LOCAL_POSTGRES
    if os.environ.get("DATABASE_URL"):
        os.environ.setdefault("MOTCUA_TEST_DB", f"test_motcua_bench_{os.getpid()}")
        return "postgresql"
    return "sqlite"


def teardown_django() -> None:
    """Drop the throw-away database ``setup_django`` made (the ``test_`` one on PostgreSQL, the temp file otherwise)."""
    import shutil

    from django.db import connection

    if os.environ.get("DATABASE_URL"):
        import dj_database_url
        from django.test.utils import teardown_databases

        original = dj_database_url.parse(os.environ["DATABASE_URL"])["NAME"]
        current = connection.settings_dict["NAME"]
        ours = str(current).startswith("test_") or current == os.environ.get("MOTCUA_TEST_DB")
        if current == original or not ours:
            return  # setup never switched to a throw-away database: there is nothing of ours to drop
        teardown_databases([(connection, original, True)], verbosity=0)
    else:
        connection.close()
        sqlite_path = os.environ.get("MOTCUA_SQLITE_PATH", "")
        if sqlite_path and Path(sqlite_path).parent.name.startswith("motcua-bench-"):
            shutil.rmtree(Path(sqlite_path).parent, ignore_errors=True)


def run_with_django(run: Callable[[Any, str], None], args: Any) -> None:
    """Run ``run(args, engine)`` in Django with its test client allowed, on the throw-away database
    ``prefer_local_postgres`` chose, and remove that database afterwards, also on errors."""
    engine = prefer_local_postgres()
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    sys.path.insert(0, str(ROOT))
    setup_django()
    try:
        run(args, engine)
    finally:
        teardown_django()
