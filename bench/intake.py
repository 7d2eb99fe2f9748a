"""Intake throughput: online submission + desk reception of dossiers through the service layer.

Each iteration submits one birth-registration dossier online (``dossier_submit_online``, e-form and two
small PDF uploads stored as files) and receives it at the desk (``dossier_receive``: lock, transition,
due time from the working-time calendar, event). Reported: pairs per second and the p50/p95 latency
of a pair; per pair, the SQL statements, the CPU the pairs' processes used and the Python function calls
(counted over 20 more pairs after the timed loop: a measure of the Python work that, unlike times, does
not move with the machine's speed or load). Baseline: PostgreSQL's own rate of single-row INSERTs, each
committed on its own (autocommit), through the same Django connection in the same run; the ratio is
dossiers/s ÷ inserts/s.
Target: ≥ 200 dossiers/s.

Database: ``DATABASE_URL`` if set; otherwise the local PostgreSQL (postgres://root@127.0.0.1:5432/postgres)
when it answers, else SQLite (said in the output). On PostgreSQL the bench works in a throw-away
``test_motcua_bench_<pid>`` database made by Django's test machinery and dropped at the end; uploaded
files go to a temporary directory, also removed.

With ``--processes N`` (default 2, one per core here), N processes run pairs at the same time, each
for its own commune's desk (a province's load comes from many desks at once); the rate is their sum.
Then the same number of processes run pairs for **two desks of the same agency** (commune H99.101,
two desk officers): their dossiers take their codes from the same day counter, so the counter's row is
the point where they wait for each other. The baseline is measured with the same number of connections
(N processes each committing single-row INSERTs into one table at once), and each rate is divided by
it. The value of the last line is the lower of the two rates; the target must hold for both.

Run from the project root: ``.venv/bin/python bench/intake.py [--seconds 15] [--processes 2] [--profile]``
(``--profile [SORT]`` runs cProfile over the timed loop and prints the top functions by cumulative time
or by pstats' SORT key;
``--queries`` prints the SQL statements of one pair).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _django import ROOT, prefer_local_postgres, report, setup_django, summary, teardown_django

TARGET = 200.0


def insert_rate(seconds: float, processes: int = 1) -> float:
    """Committed single-row INSERTs per second into one table, through ``processes`` connections at once
    (forked processes, each with its own Django connection; the rates are summed)."""
    import json

    from django.db import connection, connections

    serial = "bigserial" if connection.vendor == "postgresql" else "integer"
    if connection.vendor != "postgresql":
        processes = 1  # SQLite has one writer at a time
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_rows (id {serial} PRIMARY KEY, payload text)")
    connections.close_all()
    readers = []
    for _ in range(processes):
        read_end, write_end = os.pipe()
        if os.fork() == 0:  # child
            os.close(read_end)
            with connection.cursor() as cursor:
                assert connection.get_autocommit(), "each INSERT must commit on its own"
                for _ in range(50):  # warm-up
                    cursor.execute("INSERT INTO bench_rows (payload) VALUES (%s)", ["warm-up"])
                count = 0
                began = time.perf_counter()
                while (elapsed := time.perf_counter() - began) < seconds:
                    cursor.execute("INSERT INTO bench_rows (payload) VALUES (%s)", [f"row {count}"])
                    count += 1
            connections.close_all()
            with os.fdopen(write_end, "w") as out:
                json.dump(count / elapsed, out)
            os._exit(0)
        os.close(write_end)
        readers.append(read_end)
    rates = []
    for read_end in readers:
        with os.fdopen(read_end) as source:
            rates.append(float(json.load(source)))
    for _ in readers:
        os.wait()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_rows")
    return sum(rates)


def intake_pairs() -> dict[str, list[Callable[[], tuple[float, float]]]]:
    """Build the province, catalog and people; return the pairs (one submit+receive, its two durations in
    ms) of each set-up: one desk per commune, and two desks of the same commune."""
    from motcua.catalog.services import catalog_import
    from motcua.identity.constants import Role
    from motcua.workflow.services import Application, dossier_receive, dossier_submit_online
    from tests.factories import make_citizen, make_province_tree, make_staff, small_catalog
    from tests.intake import birth_documents, pdf

    province = make_province_tree()
    catalog_import(actor=None, document=small_catalog())
    citizen = make_citizen(personal_id="042190001234", phone="0912345678")
    first, second = (doc.pk for doc in birth_documents())

    def desk_pair(agency: Any) -> Callable[[], tuple[float, float]]:
        desk = make_staff(Role.DESK_OFFICER, agency)
        return pair_at(agency, desk, citizen, first, second, Application, dossier_submit_online, dossier_receive, pdf)

    communes = [desk_pair(province["commune_a"]), desk_pair(province["commune_b"])]
    return {"communes": communes, "same agency": [communes[0], desk_pair(province["commune_a"])]}


def pair_at(
    agency: Any,
    desk: Any,
    citizen: Any,
    first: int,
    second: int,
    Application: Any,
    dossier_submit_online: Any,
    dossier_receive: Any,
    pdf: Any,
) -> Callable[[], tuple[float, float]]:
    def pair() -> tuple[float, float]:
        application = Application(
            procedure_code="1.001193",
            agency_code=agency.code,
            form_data={"ho_ten_tre": "Nguyễn Văn An", "ngay_sinh": "2026-03-01"},
            uploads=[pdf(required_document_id=first), pdf("giay-chung-sinh.pdf", second)],
        )
        start = time.perf_counter()
        dossier = dossier_submit_online(actor=citizen, application=application)
        submitted = time.perf_counter()
        received = dossier_receive(actor=desk, code=dossier.code)
        done = time.perf_counter()
        assert received.national_status == 2 and received.due_at is not None, received
        return (submitted - start) * 1000, (done - submitted) * 1000

    return pair


def python_calls(pair: Callable[[], tuple[float, float]], pairs: int = 20) -> float:
    """Python function calls per pair, counted by cProfile over a few pairs: unlike times, the count does
    not move with the machine's speed or load, so runs on different days compare."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(pairs):
        pair()
    profiler.disable()
    total: int = pstats.Stats(profiler).total_calls  # type: ignore[attr-defined]
    return total / pairs


def print_queries(pair: Callable[[], tuple[float, float]]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        pair()
    print(f"one pair runs {len(queries.captured_queries)} SQL statements:")
    for query in queries.captured_queries:
        print(f"  {query['time']} s  {query['sql'][:160]}")


class SqlClock:
    """Django execute wrapper: how many statements ran and how long the client waited on them."""

    def __init__(self) -> None:
        self.statements = 0
        self.seconds = 0.0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.statements += 1


def run_pairs(
    pair: Callable[[], tuple[float, float]], seconds: float, sql: SqlClock
) -> tuple[int, float, list[float], list[float]]:
    from django.db import connection

    submits: list[float] = []
    receives: list[float] = []
    began = time.perf_counter()
    with connection.execute_wrapper(sql):
        while (elapsed := time.perf_counter() - began) < seconds:
            submit_ms, receive_ms = pair()
            submits.append(submit_ms)
            receives.append(receive_ms)
    return len(submits), elapsed, submits, receives


def run_in_processes(
    pairs: list[Callable[[], tuple[float, float]]], seconds: float, processes: int
) -> tuple[int, float, list[float], list[float], SqlClock, float]:
    """Fork ``processes`` workers, each running the pair of its own commune for ``seconds``; sum them
    (the last value is the CPU seconds the workers used)."""
    import json

    from django.db import connections

    connections.close_all()  # each child opens its own connection
    readers = []
    for index in range(processes):
        read_end, write_end = os.pipe()
        if os.fork() == 0:  # child
            os.close(read_end)
            sql = SqlClock()
            cpu = time.process_time()
            count, elapsed, submits, receives = run_pairs(pairs[index % len(pairs)], seconds, sql)
            cpu = time.process_time() - cpu
            connections.close_all()
            with os.fdopen(write_end, "w") as out:
                json.dump([count, elapsed, submits, receives, sql.statements, sql.seconds, cpu], out)
            os._exit(0)
        os.close(write_end)
        readers.append(read_end)
    results = []
    for read_end in readers:
        with os.fdopen(read_end) as source:
            results.append(json.load(source))
    for _ in readers:
        os.wait()
    total = SqlClock()
    total.statements = sum(r[4] for r in results)
    total.seconds = sum(r[5] for r in results) / processes  # wall time spent waiting, per process
    return (
        sum(r[0] for r in results),
        max(r[1] for r in results),
        [x for r in results for x in r[2]],
        [x for r in results for x in r[3]],
        total,
        sum(r[6] for r in results),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15.0, help="length of the timed loop (default 15)")
    parser.add_argument("--insert-seconds", type=float, default=3.0, help="length of the baseline (default 3)")
    parser.add_argument("--processes", type=int, default=2, help="processes running pairs at once (default 2)")
    parser.add_argument(
        "--profile",
        nargs="?",
        const="cumulative",
        default=None,
        metavar="SORT",
        help="cProfile the timed loop, print the top functions (by cumulative time, or pstats' SORT: tottime, calls…)",
    )
    parser.add_argument("--queries", action="store_true", help="print the SQL statements of one pair")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that the throw-away database is dropped
    sys.path.insert(0, str(ROOT))  # so that ``tests.factories`` imports
    engine = prefer_local_postgres()
    var_dir = Path(tempfile.mkdtemp(prefix="motcua-bench-var-"))  # uploaded files land here, not in ./var
    os.environ["MOTCUA_VAR_DIR"] = str(var_dir)
    try:
        setup_django()
        from django.db import connection

        print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
        print(f"database: {engine} ({connection.settings_dict['NAME']}, throw-away)")
        if engine == "sqlite":
            print("PostgreSQL is not reachable on 127.0.0.1:5432: figures are for SQLite, not the acceptance ones")
        setups = intake_pairs()
        pairs = setups["communes"]
        pair = pairs[0]
        for each in [*pairs, *setups["same agency"]]:
            for _ in range(20):  # warm-up: imports, caches, the day's counter row
                each()
        if args.queries:
            print_queries(pair)
        profiler = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        sql = SqlClock()
        cpu = time.process_time()
        if args.processes > 1 and profiler is None:
            count, elapsed, submits, receives, sql, cpu = run_in_processes(pairs, args.seconds, args.processes)
        else:
            count, elapsed, submits, receives = run_pairs(pair, args.seconds, sql)
            cpu = time.process_time() - cpu
        if profiler is not None:
            profiler.disable()
        connections_used = args.processes if args.processes > 1 and profiler is None else 1
        same = None
        if connections_used > 1:
            same = run_in_processes(setups["same agency"], args.seconds, args.processes)
        inserts = insert_rate(args.insert_seconds, connections_used)

        rate = count / elapsed
        latencies = [a + b for a, b in zip(submits, receives, strict=True)]
        p, s, r = summary(latencies), summary(submits), summary(receives)
        files = sum(1 for path in (var_dir / "media").rglob("*") if path.is_file())
        print(
            f"intake, {connections_used} desk(s) of different communes at once: {count} dossiers submitted online"
            f" and received in {elapsed:.2f} s = {rate:.1f} dossiers/s"
        )
        print(f"pair latency: p50 {p['p50']} ms, p95 {p['p95']} ms")
        print(f"  submit (2 PDFs): p50 {s['p50']} ms, p95 {s['p95']} ms; receive: p50 {r['p50']} ms, p95 {r['p95']} ms")
        print(
            f"  per pair: {sql.statements / count:.1f} SQL statements, {sql.seconds / count * 1000:.2f} ms waiting on"
            f" them (round trips + server), {(elapsed - sql.seconds) / count * 1000:.2f} ms elsewhere (Python, files);"
            f" the pairs' processes used {cpu / count * 1000:.2f} ms of CPU"
        )
        print(f"  {python_calls(pair):,.0f} Python function calls per pair (the Python work, whatever the CPU speed)")
        if profiler is not None:
            print("  (measured under cProfile: rates are lower than without --profile)")
        print(f"  {files} files written")
        print(
            f"baseline: {inserts:.1f} committed single-row INSERTs/s through {connections_used} connection(s) at once"
            f" (autocommit); ratio {rate / inserts:.4f}"
        )
        lowest = rate
        if same is not None:
            same_count, same_elapsed, same_submits, same_receives, _sql, _cpu = same
            same_rate = same_count / same_elapsed
            both = summary([a + b for a, b in zip(same_submits, same_receives, strict=True)])
            print(
                f"intake, two desks of the same commune at once (one code counter): {same_count} dossiers in"
                f" {same_elapsed:.2f} s = {same_rate:.1f} dossiers/s ({same_rate / rate:.2f} × the communes' rate);"
                f" pair p50 {both['p50']} ms, p95 {both['p95']} ms; ratio to the baseline {same_rate / inserts:.4f}"
            )
            lowest = min(rate, same_rate)
        print(f"load average at the end: {os.getloadavg()[0]:.2f}")
        if profiler is not None:
            import pstats

            print(f"profile of the timed loop (top 30 by {args.profile}):")
            pstats.Stats(profiler, stream=sys.stdout).sort_stats(args.profile).print_stats(30)
        report(bench="intake", value=lowest, unit="dossiers/s", baseline=inserts, target=TARGET, met=lowest >= TARGET)
    finally:
        teardown_django()
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
