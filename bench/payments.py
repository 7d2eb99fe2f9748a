"""Payment callbacks under load: signed national-platform callbacks, each settling a prepared payment request,
posted to gunicorn with the production settings on a throw-away PostgreSQL database.

What it does, in order:

1. ``api_load.production_site``: a throw-away PostgreSQL database (on ``DATABASE_URL``'s server, else
   postgres://root@127.0.0.1:5432/postgres), migrated, the production settings' environment in a temporary
   directory (and the fake national portal the site syncs to);
2. loads the demo province and a synthetic history of ``--history`` dossiers (``demo.synthetic``), then for
   ``--callbacks`` of them (default 3,000) one unpaid payment request (a fee at submission, 8,000 đồng) and
   one started online attempt with the national provider; precomputes each attempt's signed success
   callback (JSON, SHA-256 checksum with the settings' secret, as the platform sends it);
3. starts the task worker (its heartbeat makes /healthz answer 200) and gunicorn (``--workers 4 --threads 1``
   by default) on a free port of 127.0.0.1; measures ``GET /healthz`` for 5 s with the same clients (the
   baseline); then ``--clients`` threads (10) post the callbacks, each exactly once, to
   ``/api/v1/payments/callbacks/national``; an answer counts only if it is 200 with ``responseCode`` 00;
4. checks the database: every request paid once, one ``applied`` callback row each, the receipt counters
   summing to the number of callbacks; any difference counts as an error;
5. stops the servers, drops the database and removes the directory (also on errors and Ctrl-C). It stops
   by itself: the callbacks run out, or ``--seconds`` (120) passes.

Target: ≥ 200 callbacks/s with p95 < 100 ms and 0 errors.

Run from the project root (PostgreSQL must answer):
``.venv/bin/python bench/payments.py [--callbacks 3000] [--clients 10] [--workers 4] [--threads 1]
[--history 20000] [--database NAME]``
The last output line is the JSON summary (value = callbacks/s, baseline = /healthz answers/s).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import sys
import threading
import time

from _django import ROOT, report
from api_load import (
    BIN,
    HEALTHZ_SECONDS,
    HOST,
    Request,
    Server,
    Tally,
    describe,
    drive,
    production_site,
    start_gunicorn,
)

TARGET_RATE = 200.0
TARGET_P95_MS = 100.0
AMOUNT = 8000
PATH = "/api/v1/payments/callbacks/national"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="payment callbacks bench (see the module docstring)")
    parser.add_argument("--callbacks", type=int, default=3000, help="signed callbacks to post (default 3000)")
    parser.add_argument("--clients", type=int, choices=range(1, 51), default=10, metavar="1..50")
    parser.add_argument("--workers", type=int, choices=range(1, 17), default=4, metavar="1..16")
    parser.add_argument("--threads", type=int, choices=range(1, 17), default=1, metavar="1..16")
    parser.add_argument("--history", type=int, default=20_000, help="synthetic dossiers (default 20000)")
    parser.add_argument("--seconds", type=float, default=120.0, help="at most this long posting (default 120)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", default="", help="name of the throw-away database (default motcua_bench_<pid>)")
    args = parser.parse_args()
    if not 1 <= args.callbacks <= args.history:
        parser.error("--callbacks must be between 1 and --history")
    if not 1 <= args.seconds <= 600:
        parser.error("--seconds must be between 1 and 600")
    return args


def prepare(env: dict[str, str], args: argparse.Namespace) -> list[bytes]:
    """In this process, on the bench database: the history, a request and a started attempt per callback,
    and the signed bodies."""
    os.environ.update(env)
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, connections

    from motcua.demo.province import load_demo_province
    from motcua.demo.synthetic import synthetic_seed
    from motcua.dossiers.models import Dossier
    from motcua.payments.constants import PaymentMoment
    from motcua.payments.models import PaymentAttempt, PaymentRequest
    from motcua.payments.providers import national

    load_demo_province()
    began = time.perf_counter()
    seeded = synthetic_seed(dossiers=args.history, seed=args.seed, background=True)
    print(f"history: {seeded.dossiers:,} dossiers in {time.perf_counter() - began:.1f} s")
    dossiers = list(Dossier.objects.order_by("id").values_list("pk", "code")[: args.callbacks])
    requests = PaymentRequest.objects.bulk_create(
        PaymentRequest(
            dossier_id=pk,
            name="Lệ phí",
            moment=PaymentMoment.SUBMISSION,
            full_amount=AMOUNT,
            amount=AMOUNT,
            reference=f"{code}.TT01",
        )
        for pk, code in dossiers
    )
    attempts = PaymentAttempt.objects.bulk_create(
        PaymentAttempt(request=r, provider="national", transaction_ref=f"{r.reference}.1", amount=AMOUNT)
        for r in requests
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    bodies = []
    for n, attempt in enumerate(attempts, start=1):
        values = {
            "partnerCode": settings.MOTCUA_PAYMENT_NATIONAL_PARTNER_CODE,
            "referenceCode": attempt.transaction_ref,
            "amount": str(AMOUNT),
            "currency": "VND",
            "transactionNo": f"BENCH{n:08d}",
            "responseCode": "00",
            "payTime": national.local_time(),
        }
        values["checksum"] = national.checksum(
            values, national.CALLBACK_FIELDS, settings.MOTCUA_PAYMENT_NATIONAL_SECRET
        )
        bodies.append(json.dumps(values).encode())
    agencies = Dossier.objects.filter(pk__in=[pk for pk, _code in dossiers]).values("receiving_agency").distinct()
    print(
        f"prepared: {len(bodies):,} unpaid requests of dossiers received at {agencies.count()} agencies (one receipt"
        " counter each), each with a started attempt and its signed callback"
    )
    connections.close_all()
    return bodies


def poster(port: int, work: queue.Queue[bytes], deadline: float, tally: Tally, wrong: list[int]) -> None:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    try:
        while time.perf_counter() < deadline:
            try:
                body = work.get_nowait()
            except queue.Empty:
                return
            start = time.perf_counter()
            try:
                connection.request("POST", PATH, body=body, headers=headers)
                response = connection.getresponse()
                answer = response.read()
                status = response.status
                if status == 200 and json.loads(answer).get("responseCode") != "00":
                    wrong.append(1)
                    status = 299  # 200 but not taken: counted as an error
                tally.statuses[status] += 1
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException, ValueError) as exc:
                tally.failures[type(exc).__name__] += 1
                connection.close()
            tally.latencies.append((time.perf_counter() - start) * 1000)
    finally:
        connection.close()


def post_all(port: int, bodies: list[bytes], *, clients: int, seconds: float) -> tuple[Tally, float]:
    work: queue.Queue[bytes] = queue.Queue()
    for body in bodies:
        work.put(body)
    tallies = [Tally() for _ in range(clients)]
    wrong: list[int] = []
    began = time.perf_counter()
    threads = [
        threading.Thread(target=poster, args=(port, work, began + seconds, tallies[i], wrong), daemon=True)
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    total = Tally()
    for tally in tallies:
        total.add(tally)
    return total, elapsed


def check_database(expected: int) -> int:
    """Differences between what was answered and what is stored (0 when consistent)."""
    from django.db import connections
    from django.db.models import Sum

    from motcua.payments.models import PaymentCallback, PaymentRequest, ReceiptCounter

    paid = PaymentRequest.objects.filter(status="paid").exclude(receipt_number=None).count()
    applied = PaymentCallback.objects.filter(outcome="applied").count()
    numbered = ReceiptCounter.objects.aggregate(total=Sum("last"))["total"] or 0
    print(f"database: {paid} requests paid, {applied} callbacks applied, {numbered} receipt numbers issued")
    connections.close_all()
    return abs(paid - expected) + abs(applied - expected) + abs(numbered - expected)


def main() -> None:
    args = arguments()
    with production_site("payments", database=args.database) as (env, workdir, servers):
        bodies = prepare(env, args)
        servers.append(
            Server([str(BIN / "python"), str(ROOT / "manage.py"), "run_worker"], env, workdir / "worker.log")
        )
        port = start_gunicorn(args, env, workdir, servers)
        health = Request("GET", "/healthz", None, lambda number, n: {"Accept": "application/json"})
        drive(port, health, clients=args.clients, seconds=2.0)  # warm-up of every worker
        baseline_tally, baseline_elapsed = drive(port, health, clients=args.clients, seconds=HEALTHZ_SECONDS / 2)
        load = os.getloadavg()[0]
        tally, elapsed = post_all(port, bodies, clients=args.clients, seconds=args.seconds)
        print(
            f"clients: {args.clients} threads, keep-alive http.client;"
            f" load average {load:.2f} → {os.getloadavg()[0]:.2f}"
        )
        baseline, _, _ = describe("baseline GET /healthz", baseline_tally, baseline_elapsed, ok=200)
        rate, latency, errors = describe(f"POST {PATH}", tally, elapsed, ok=200)
        errors += len(bodies) - sum(tally.statuses.values()) - sum(tally.failures.values())  # never posted
        errors += check_database(tally.statuses[200])
        print(f"callbacks: {rate:.1f}/s, p95 {latency['p95']} ms, errors {errors}")
        met = rate >= TARGET_RATE and latency["p95"] < TARGET_P95_MS and errors == 0
        report(
            bench="payments_callbacks", value=rate, unit="callbacks/s", baseline=baseline, target=TARGET_RATE, met=met
        )


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrupted: server stopped, database dropped")
