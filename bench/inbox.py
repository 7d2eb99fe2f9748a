"""Inbox and staff list at scale: the back-office inbox page with 10,000 and with 1,000,000 dossiers, then
the staff dossier-list API under 10 concurrent clients against the production server configuration.

What it does, in order:

1. creates a throw-away PostgreSQL database ``motcua_bench_<pid>`` (on the server of ``DATABASE_URL`` if
   set, else postgres://root@127.0.0.1:5432/postgres) and a temporary var directory; migrates it and
   collects the static files (production pages link their hashed names);
2. loads the test province and catalog (``tests.factories``: a province, a department, two communes,
   three procedures) and its staff: at commune H99.101 two desk officers, two specialists, a leader and
   a clerk; at H99.102 one of each; a specialist at the department (consulted);
3. ``seed_synthetic`` 10,000 dossiers (``--dossiers-small``) over the 18 months before now; picks the
   H99.101 specialist whose own inbox ("mine") holds the most dossiers (the generator caps a person's
   open dossiers at 40, a realistic inbox; the rest wait in the unit's pool) and measures, for
   ``--sample-seconds`` each, the inbox page ``/can-bo/xu-ly/`` rendered for that specialist through
   Django's test ``Client`` (session, middleware, template: a page of 25 and the total), and the
   selector alone (``inbox(actor, InboxQuery(scope="mine"))``: page and count);
4. grows the same history to 1,000,000 dossiers (``--dossiers-large``; another seed, the same end),
   ``VACUUM (ANALYZE)`` the dossier table as autovacuum would, measures both again and prints p50/p95,
   the ratio large ÷ small and the plans (EXPLAIN ANALYZE) of the inbox and list queries;
5. starts gunicorn with production settings (``DJANGO_DEBUG=0``, a random secret, no plain-static
   override) on a free port of 127.0.0.1 (``--workers 4 --threads 1``), measures ``GET /healthz`` with
   the same clients for 10 s (the baseline) and then ``GET /api/v1/staff/dossiers?unit=H99.101`` (token of
   an H99.101 leader; the clients cycle through the first 20 cursor pages of 100) for ``--seconds``;
6. stops gunicorn, drops the database and removes the directory, also on errors and Ctrl-C.

Targets: inbox p95 < 50 ms at 1,000,000 dossiers and p95 ratio ≤ 1.3; list API ≥ 75 pages/s with p95 <
100 ms. Loopback only; run time bounded (``--seconds`` ≤ 600; seeding 1,000,000 dossiers takes minutes).

Run from the project root (PostgreSQL must answer):
``.venv/bin/python bench/inbox.py [--dossiers-large 1000000] [--seconds 30] [--sample-seconds 10]``
The last output line is the JSON summary: value = inbox p95 (ms) at the large size, baseline = the same
at the small size, ratio = their ratio, target = 1.3; ``api`` holds the list API's figures (value =
pages/s, baseline = /healthz answers/s); ``met`` is true when every target is met.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from _django import ROOT, summary, time_calls
from api_load import (
    HOST,
    MAX_SECONDS,
    Request,
    Server,
    Tally,
    describe,
    drive,
    production_site,
    start_gunicorn,
)


def heartbeat() -> None:
    """A worker heartbeat so that /healthz answers 200: this bench reads lists and enqueues no task."""
    from django.db import connections

    from motcua.core.health import beat

    beat("bench-inbox")
    connections.close_all()


TARGET_INBOX_P95_MS = 50.0
TARGET_RATIO = 1.3
TARGET_RATE = 75.0
TARGET_API_P95_MS = 100.0
HEALTHZ_SECONDS = 10.0
WARMUP_SECONDS = 3.0
UNIT = "H99.101"
PAGES = 20  # cursor pages the API clients cycle through


def load_province(env: dict[str, str]) -> dict[str, Any]:
    """In this process, on the bench database: province, catalog and staff."""
    os.environ.update(env)
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    import django

    django.setup()
    from motcua.catalog.services import catalog_import
    from motcua.identity.constants import Role
    from tests.factories import make_province_tree, make_staff, small_catalog

    province = make_province_tree()
    catalog_import(actor=None, document=small_catalog())
    a, b = province["commune_a"], province["commune_b"]
    staff = {
        "specialists": [make_staff(Role.SPECIALIST, a), make_staff(Role.SPECIALIST, a)],
        "leader": make_staff(Role.UNIT_LEADER, a),
    }
    for role, agency in (
        (Role.DESK_OFFICER, a),
        (Role.DESK_OFFICER, a),
        (Role.CLERK, a),
        (Role.DESK_OFFICER, b),
        (Role.SPECIALIST, b),
        (Role.UNIT_LEADER, b),
        (Role.CLERK, b),
        (Role.SPECIALIST, province["department"]),
    ):
        make_staff(role, agency)
    return staff


def seed(count: int, seed_number: int, until: Any) -> None:
    from motcua.demo.synthetic import synthetic_seed

    if count <= 0:
        return
    report = synthetic_seed(dossiers=count, seed=seed_number, until=until, background=True)
    for line in report.lines():
        print(f"  {line}")


def dossier_count() -> int:
    from motcua.dossiers.models import Dossier

    return Dossier.objects.count()


def pick_specialist(specialists: list[Any]) -> tuple[Any, int]:
    """The specialist whose own inbox holds the most dossiers."""
    from motcua.workflow.inbox import InboxQuery, inbox

    sizes = [(inbox(s, InboxQuery(scope="mine")).count(), s) for s in specialists]
    size, chosen = max(sizes, key=lambda pair: pair[0])
    return chosen, size


def inbox_measures(specialist: Any, seconds: float) -> dict[str, dict[str, float]]:
    """p50/p95 (ms) of the inbox page through the test client, and of the selector's page and count."""
    from django.core.paginator import Paginator
    from django.test import Client
    from django.urls import reverse

    from motcua.identity.models import User
    from motcua.workflow.inbox import InboxQuery, inbox
    from tests.second_factor import mark_client_verified

    client = Client(SERVER_NAME=HOST)
    client.force_login(specialist)
    mark_client_verified(client, specialist)  # as if the code had been typed (identity.second_factor)
    url = reverse("backoffice:inbox")
    first = client.get(url)
    if first.status_code != 200 or b'id="inbox"' not in first.content:
        raise RuntimeError(f"the inbox page answered {first.status_code}")

    def page() -> None:
        response = client.get(url)
        assert response.status_code == 200

    def selector() -> None:
        actor = User.objects.get(pk=specialist.pk)  # a fresh user: grants read again, as per request
        current = Paginator(inbox(actor, InboxQuery(scope="mine")), 25).get_page(1)
        list(current.object_list)
        assert current.paginator.count >= 0

    return {
        "page": summary(time_calls(page, seconds=seconds)),
        "selector": summary(time_calls(selector, seconds=seconds / 2)),
    }


def vacuum_analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) dossiers_dossier")


def explain(specialist: Any) -> None:
    """The plans of the inbox ("mine", page of 25) and of the list API's first page, with timings."""
    from django.db import connection

    from motcua.dossiers.selectors import dossiers_of_unit
    from motcua.identity.models import User
    from motcua.workflow.inbox import InboxQuery, inbox

    actor = User.objects.get(pk=specialist.pk)
    queries = {
        "inbox page": inbox(actor, InboxQuery(scope="mine"))[:25],
        "staff list page": dossiers_of_unit(actor, UNIT).order_by("-id")[:101],
    }
    for name, queryset in queries.items():
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}", params)
            plan = [row[0] for row in cursor.fetchall()]
        print(f"  plan of the {name}:")
        for line in plan:
            print(f"    {line}")


def print_measures(label: str, measures: dict[str, dict[str, float]]) -> None:
    for name, s in measures.items():
        print(f"  {label} {name}: p50 {s['p50']} ms, p95 {s['p95']} ms over {s['n']} requests")


def api_token(user: Any) -> str:
    from tests.second_factor import api_key_for

    return api_key_for(user, name="bench")


def page_paths(port: int, token: str) -> list[str]:
    """The first ``PAGES`` cursor pages of the unit's list (each must hold 100 dossiers)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    path = f"/api/v1/staff/dossiers?unit={UNIT}"
    paths = []
    try:
        while path and len(paths) < PAGES:
            connection.request("GET", path, headers={"Authorization": f"Token {token}", "Accept": "application/json"})
            response = connection.getresponse()
            body = json.loads(response.read())
            if response.status != 200 or len(body["results"]) != 100:
                raise RuntimeError(f"the list answered {response.status}: {str(body)[:300]}")
            paths.append(path)
            following = body["next"]
            path = "" if following is None else f"{urlsplit(following).path}?{urlsplit(following).query}"
    finally:
        connection.close()
    return paths


def cycling_client(
    port: int, paths: list[str], token: str, number: int, deadline: float, stop: threading.Event, tally: Tally
) -> None:
    """One keep-alive connection; GETs the pages in turn (each client starts at its own page)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    n = number
    try:
        while not stop.is_set() and time.perf_counter() < deadline:
            path = paths[n % len(paths)]
            n += 1
            start = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                tally.statuses[response.status] += 1
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException) as exc:
                tally.failures[type(exc).__name__] += 1
                connection.close()
            tally.latencies.append((time.perf_counter() - start) * 1000)
    finally:
        connection.close()


def drive_pages(port: int, paths: list[str], token: str, *, clients: int, seconds: float) -> tuple[Tally, float]:
    stop = threading.Event()
    tallies = [Tally() for _ in range(clients)]
    began = time.perf_counter()
    deadline = began + seconds
    threads = [
        threading.Thread(target=cycling_client, args=(port, paths, token, i, deadline, stop, tallies[i]), daemon=True)
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join()
    finally:
        stop.set()
    total = Tally()
    for tally in tallies:
        total.add(tally)
    return total, time.perf_counter() - began


def arguments() -> argparse.Namespace:
    def seconds(value: str) -> float:
        number = float(value)
        if not 1 <= number <= MAX_SECONDS:
            raise argparse.ArgumentTypeError(f"between 1 and {MAX_SECONDS}")
        return number

    def dossiers(value: str) -> int:
        number = int(value)
        if not 1_000 <= number <= 5_000_000:
            raise argparse.ArgumentTypeError("between 1000 and 5000000")
        return number

    parser = argparse.ArgumentParser(description="Inbox and staff list bench (see the module docstring)")
    parser.add_argument("--dossiers-small", type=dossiers, default=10_000)
    parser.add_argument("--dossiers-large", type=dossiers, default=1_000_000)
    parser.add_argument("--seconds", type=seconds, default=30.0, help="length of the API phase (default 30)")
    parser.add_argument("--sample-seconds", type=seconds, default=10.0, help="inbox timing per size (default 10)")
    parser.add_argument("--clients", type=int, choices=range(1, 51), default=10, metavar="1..50")
    parser.add_argument("--workers", type=int, choices=range(1, 17), default=4, metavar="1..16")
    parser.add_argument("--threads", type=int, choices=range(1, 17), default=1, metavar="1..16")
    args = parser.parse_args()
    if args.dossiers_large < args.dossiers_small:
        parser.error("--dossiers-large must not be smaller than --dossiers-small")
    return args


def main() -> None:
    args = arguments()
    with production_site("inbox", collect_static=True) as (env, workdir, servers):
        staff = load_province(env)
        run(args, env, workdir, servers, staff)


def timed(label: str, work: Callable[[], Any]) -> Any:
    began = time.perf_counter()
    result = work()
    print(f"{label}: {time.perf_counter() - began:.1f} s")
    return result


def run(
    args: argparse.Namespace, env: dict[str, str], workdir: Path, servers: list[Server], staff: dict[str, Any]
) -> None:
    from django.utils import timezone

    until = timezone.now()
    timed(f"seed {args.dossiers_small} dossiers", lambda: seed(args.dossiers_small, 1, until))
    specialist, size = pick_specialist(staff["specialists"])
    print(f"specialist {specialist.username}: {size} dossiers in the own inbox ('mine')")
    small = inbox_measures(specialist, args.sample_seconds)
    print_measures(f"{dossier_count()} dossiers:", small)

    grow = args.dossiers_large - args.dossiers_small
    timed(f"seed {grow} more dossiers", lambda: seed(grow, 2, until))
    timed("VACUUM (ANALYZE) of the dossier table", vacuum_analyze)
    _specialist, size_after = pick_specialist([specialist])
    print(f"specialist {specialist.username}: {size_after} dossiers in the own inbox ('mine')")
    large = inbox_measures(specialist, args.sample_seconds)
    print_measures(f"{dossier_count()} dossiers:", large)
    explain(specialist)
    ratio = large["page"]["p95"] / small["page"]["p95"]
    print(
        f"inbox page p95: {small['page']['p95']} ms at {args.dossiers_small}, {large['page']['p95']} ms at "
        f"{args.dossiers_large}: ratio {ratio:.2f} (targets: p95 < {TARGET_INBOX_P95_MS:.0f} ms, ratio ≤ "
        f"{TARGET_RATIO})"
    )

    token = api_token(staff["leader"])
    heartbeat()
    port = start_gunicorn(args, env, workdir, servers)
    paths = page_paths(port, token)
    health = Request("GET", "/healthz", None, lambda number, n: {"Accept": "application/json"})
    drive_pages(port, paths, token, clients=args.clients, seconds=WARMUP_SECONDS)
    heartbeat()  # fresh for the whole baseline phase
    baseline_tally, baseline_elapsed = drive(port, health, clients=args.clients, seconds=HEALTHZ_SECONDS)
    tally, elapsed = drive_pages(port, paths, token, clients=args.clients, seconds=args.seconds)
    print(f"clients: {args.clients} threads, keep-alive http.client, cycling through {len(paths)} pages of 100")
    baseline, _, _ = describe("baseline GET /healthz", baseline_tally, baseline_elapsed, ok=200)
    rate, latency, errors = describe(f"GET /api/v1/staff/dossiers?unit={UNIT}", tally, elapsed, ok=200)
    api_met = rate >= TARGET_RATE and latency["p95"] < TARGET_API_P95_MS and errors == 0
    inbox_met = large["page"]["p95"] < TARGET_INBOX_P95_MS and ratio <= TARGET_RATIO
    print(
        f"staff list: {rate:.1f} pages/s, p95 {latency['p95']} ms, errors {errors} (targets: ≥ {TARGET_RATE:.0f}/s, "
        f"p95 < {TARGET_API_P95_MS:.0f} ms)"
    )
    print(
        json.dumps(
            {
                "bench": "inbox",
                "value": large["page"]["p95"],
                "unit": "ms",
                "baseline": small["page"]["p95"],
                "ratio": round(ratio, 3),
                "target": TARGET_RATIO,
                "met": inbox_met and api_met,
                "api": {
                    "value": round(rate, 3),
                    "unit": "pages/s",
                    "baseline": round(baseline, 3),
                    "ratio": round(rate / baseline, 3) if baseline else None,
                    "p95_ms": latency["p95"],
                    "target": TARGET_RATE,
                    "met": api_met,
                },
            }
        )
    )


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrupted: server stopped, database dropped")
