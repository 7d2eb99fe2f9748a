"""Public statistics at scale: the portal's page ``/thong-ke/`` over a large synthetic history, for the
scopes the public opens, uncached and cached, and the proof that a cached answer is never more than a
minute old.

Steps: a throw-away database (PostgreSQL when it answers; see ``bench/_django.py``), the demo province,
``--dossiers`` synthetic dossiers (default 1,000,000; ``demo.synthetic``), the daily and monthly counts
rebuilt from their events, synthetic satisfaction counts (one ``SatisfactionDayStat`` row per unit and day
of the window, as the rating service keeps them), ``VACUUM (ANALYZE)``. Then, as an anonymous visitor
(the Django test client: full request/response cycle, middleware, templates, the settings' cache backend),
for the province and one commune, this year and this month:

- **cold**: the cache is emptied before each request (not timed), so every answer is computed;
- **cached**: repeated requests, answered from the cache (at most 60 s old).

Freshness: a rating is added to the commune's counts of today, then the page is requested every second
until it shows it; the bench fails if that takes more than the cache's 60 s (plus one second of polling).

Baseline, measured in the same run: the same headline figures by scanning the dossier table (one aggregate
query over every dossier of the province, as ``bench/dashboard.py``). The value is the worst **cached** p95
over the scopes (the issue allows answers up to a minute old: one request per unit, period and minute
computes the page, the others get it from the cache); the worst cold p95 is printed beside it. The ratio
is the value over the scan's median. Target: p95 < 150 ms for every scope, and the freshness check met.

Run from the project root:
``.venv/bin/python bench/public_stats.py [--dossiers 1000000] [--seconds 10]`` (``--seconds`` per scope
and mode).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import time
from datetime import date, timedelta
from typing import Any

from _django import percentile, report, run_with_django, summary
from dashboard import scan_figures, slowest_queries, timed

TARGET_MS = 150.0
FRESHNESS_LIMIT_S = 61.0  # the cache's 60 s, plus the one-second polling step


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=10.0, help="time per scope and mode")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-freshness", action="store_true", help="skip the (≈ 1 minute) freshness check")
    return parser.parse_args()


def seed_ratings(days: int, seed: int) -> int:
    """Satisfaction counts for every unit with desks or offerings, every day of the window: what the rating
    service would have kept after some hundreds of thousands of ratings."""
    from django.utils import timezone

    from motcua.agencies.models import Agency
    from motcua.satisfaction.models import SatisfactionDayStat

    rng = random.Random(seed)
    today = timezone.localdate()
    rows = [
        SatisfactionDayStat(
            agency=agency,
            day=today - timedelta(days=offset),
            very_satisfied=rng.randint(0, 12),
            satisfied=rng.randint(0, 8),
            not_satisfied=rng.randint(0, 2),
        )
        for agency in Agency.objects.all()
        for offset in range(days)
    ]
    SatisfactionDayStat.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    return len(rows)


RATINGS = re.compile(rb'id="stat-satisfaction".*?data-ratings="(\d+)"', re.S)


def shown_ratings(client: Any, page: str, params: dict[str, Any]) -> int:
    response = client.get(page, params)
    assert response.status_code == 200, response.status_code
    found = RATINGS.search(response.content)
    assert found, "the ratings count is not on the page"
    return int(found.group(1))


def freshness(client: Any, page: str, params: dict[str, Any], commune: Any) -> float:
    """Seconds from adding a rating to the counts until the page shows it (the page cached just before)."""
    from django.db.models import F
    from django.utils import timezone

    from motcua.satisfaction.models import SatisfactionDayStat

    before = shown_ratings(client, page, params)  # computes and caches the page
    row, _ = SatisfactionDayStat.objects.get_or_create(agency=commune, day=timezone.localdate())
    SatisfactionDayStat.objects.filter(pk=row.pk).update(very_satisfied=F("very_satisfied") + 1)
    added = time.monotonic()
    stale_seen = 0
    while True:
        shown = shown_ratings(client, page, params)
        waited = time.monotonic() - added
        if shown == before + 1:
            print(f"freshness: the new rating showed after {waited:.1f} s ({stale_seen} cached answers before it)")
            return waited
        assert shown == before, (shown, before)
        stale_seen += 1
        if waited > FRESHNESS_LIMIT_S + 5:
            print(f"freshness: the new rating was still not shown after {waited:.1f} s")
            return waited
        time.sleep(1.0)


def measure_apologies(client: Any, province: Any, today: date, seconds: float) -> dict[str, list[float]]:
    """The published apologies (``/xin-loi/``, not cached): the province's newest page, and last month's.
    Reported beside the statistics, not part of the target: the page reads the ``apologize`` events."""
    from django.urls import reverse

    from motcua.dossiers.models import DossierEvent

    page = reverse("portal:apologies")
    last_month = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    print(f"apology events: {DossierEvent.objects.filter(action='apologize').count():,}")
    results = {}
    for name, params in {
        "province, newest first": {"unit": province.code},
        f"province, {last_month}": {"unit": province.code, "month": last_month},
    }.items():

        def get(params: dict[str, Any] = params) -> None:
            response = client.get(page, params)
            assert response.status_code == 200, response.status_code

        results[name] = timed(get, min(seconds, 5.0), warmup=1)
    return results


def main() -> None:
    run_with_django(run, arguments())


def run(args: argparse.Namespace, engine: str) -> None:
    from django.core.cache import cache, caches
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from motcua.demo.province import load_demo_province
    from motcua.demo.synthetic import WINDOW_DAYS, synthetic_seed
    from motcua.workflow.stats import stats_rebuild

    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    backend = caches["default"].__class__.__name__
    print(f"database: {engine} ({connection.settings_dict['NAME']}, throw-away); cache: {backend}")
    places = load_demo_province()["places"]
    began = time.perf_counter()
    seeded = synthetic_seed(dossiers=args.dossiers, seed=args.seed)
    print(f"seeded {seeded.dossiers:,} dossiers and {seeded.events:,} events in {time.perf_counter() - began:.1f} s")
    began = time.perf_counter()
    rows = stats_rebuild()
    print(f"daily counts rebuilt from the events: {rows:,} rows in {time.perf_counter() - began:.1f} s")
    ratings = seed_ratings(WINDOW_DAYS, args.seed)
    print(f"satisfaction counts: {ratings:,} unit-day rows")
    if engine == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")

    province, commune = places["province"], places["commune"]
    today = timezone.localdate()
    scopes = {
        "province, this year": {"unit": province.code, "year": today.year},
        "province, this month": {"unit": province.code, "year": today.year, "month": today.month},
        f"commune {commune.code}, this year": {"unit": commune.code, "year": today.year},
        f"commune {commune.code}, this month": {"unit": commune.code, "year": today.year, "month": today.month},
    }
    page = reverse("portal:public-stats")
    client = Client()  # anonymous, like the public
    cold: dict[str, list[float]] = {}
    cached: dict[str, list[float]] = {}
    for name, params in scopes.items():

        def get(params: dict[str, Any] = params) -> None:
            response = client.get(page, params)
            assert response.status_code == 200, response.status_code

        cold[name] = timed(get, args.seconds, before=cache.clear)
        cached[name] = timed(get, args.seconds)
    cache.clear()
    slowest_queries(client, page, scopes["province, this month"])  # one uncached page: where its time goes
    apologies = measure_apologies(client, province, today, args.seconds)
    scan = timed(lambda: scan_figures(province, date(today.year, 1, 1), today, timezone.now()), args.seconds, warmup=1)

    waited = (
        None if args.skip_freshness else freshness(client, page, scopes[f"commune {commune.code}, this year"], commune)
    )
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    print("public statistics page /thong-ke/ (anonymous), by scope:")
    for name in scopes:
        c, k = summary(cold[name]), summary(cached[name])
        print(
            f"  {name}: cold p50 {c['p50']} ms, p95 {c['p95']} ms over {c['n']}; "
            f"cached p50 {k['p50']} ms, p95 {k['p95']} ms over {k['n']}"
        )
    for name, samples in apologies.items():
        figures = summary(samples)
        print(f"apologies page /xin-loi/, {name} (not in the target): p50 {figures['p50']} ms, p95 {figures['p95']} ms")
    base = summary(scan)
    print(f"baseline, the same figures by scanning the dossier table: p50 {base['p50']} ms over {len(scan)}")
    worst_cold_scope = max(cold, key=lambda name: percentile(cold[name], 95))
    worst_cold = percentile(cold[worst_cold_scope], 95)
    worst_cached = max(percentile(samples, 95) for samples in cached.values())
    print(f"worst cold scope: {worst_cold_scope}, p95 {worst_cold:.1f} ms; worst cached p95 {worst_cached:.1f} ms")
    print(
        f"uncached (every answer computed): worst p95 {worst_cold:.1f} ms, "
        f"{'met' if worst_cold < TARGET_MS else 'NOT met'} (< {TARGET_MS} ms)"
    )
    fresh = waited is None or waited <= FRESHNESS_LIMIT_S
    if waited is not None:
        print(f"freshness: {'met' if fresh else 'NOT met'} ({waited:.1f} s ≤ {FRESHNESS_LIMIT_S} s)")
    # The issue allows answers up to a minute old: what the public gets is the cached page (one request per
    # unit, period and minute computes it), so the cached p95 is the value; the cold p95 is printed beside.
    report(
        bench="public_stats",
        value=worst_cached,
        unit="ms p95 cached ≤ 60 s (worst scope)",
        baseline=base["p50"],
        target=TARGET_MS,
        met=worst_cached < TARGET_MS and fresh,
    )


if __name__ == "__main__":
    main()
