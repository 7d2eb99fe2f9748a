"""API load: POST /api/v1/dossiers against the production server configuration, 10 concurrent clients.

What it does, in order:

1. creates a throw-away PostgreSQL database ``motcua_bench_<pid>`` (psycopg, on the server of
   ``DATABASE_URL`` if set, else postgres://root@127.0.0.1:5432/postgres) and a temporary var directory;
2. runs ``manage.py migrate`` and ``manage.py createcachetable`` against it, then loads the small test
   province and catalog (``tests.factories``), one citizen and the citizen's API token, and writes a
   worker heartbeat so that /healthz answers 200 (``--worker`` starts ``manage.py run_worker`` instead);
3. starts gunicorn with production settings (``DJANGO_DEBUG=0``, a random ``DJANGO_SECRET_KEY``, no
   plain-static override) on a free port of 127.0.0.1: ``--workers 4 --threads 1`` by default;
4. warms up, then measures ``GET /healthz`` with the same clients for 10 s (the baseline: a request
   through the whole stack doing one trivial query; only 200 answers count), then ``POST
   /api/v1/dossiers`` (birth registration, e-form and two base64 PDFs, a unique ``Idempotency-Key`` per
   request; only 201 answers count as creations, anything else is an error) for ``--seconds`` (60);
5. stops gunicorn (and the worker), drops the database and removes the directory, also on errors and
   Ctrl-C (SIGTERM then SIGKILL of the process group it started).

Clients are threads of this process, each with one keep-alive ``http.client`` connection (re-opened
when the server closes it: the sync worker closes after every response), so latencies include the
client's own share of the machine. Loopback only; run time bounded (``--seconds`` ≤ 600).
Target: ≥ 100 creations/s with p95 < 150 ms and 0 errors.

Run from the project root (PostgreSQL must answer):
``.venv/bin/python bench/api_load.py [--seconds 60] [--clients 10] [--workers 4] [--threads 1] [--worker]``
The last output line is the JSON summary (value = creations/s, baseline = /healthz answers/s).
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from _django import LOCAL_POSTGRES, ROOT, report, summary

HOST = "127.0.0.1"  # loopback only: the bench never drives another machine
MAX_SECONDS = 600
TARGET_RATE = 100.0
TARGET_P95_MS = 150.0
HEALTHZ_SECONDS = 10.0
WARMUP_SECONDS = 3.0
PDF = b"%PDF-1.4\n% bench document\n" + b"x" * 200
BIN = Path(sys.executable).parent


@dataclass
class Tally:
    """What one client saw: latency of every request (ms), answers by status, transport errors."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        self.latencies += other.latencies
        self.statuses += other.statuses
        self.failures += other.failures


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: bytes | None
    headers: Callable[[int, int], dict[str, str]]  # (client, n) -> headers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def with_database(url: str, name: str) -> str:
    return urlsplit(url)._replace(path=f"/{name}").geturl()


@contextmanager
def throwaway_database(admin_url: str, name: str) -> Iterator[str]:
    """Create database ``name`` on the server of ``admin_url``; drop it (even if still in use) afterwards."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(admin_url, name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "python"), str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True)


def load_data(env: dict[str, str]) -> tuple[str, list[int]]:
    """In this process, on the bench database: province, catalog, a citizen and the citizen's token."""
    os.environ.update(env)
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    import django

    django.setup()
    from django.db import connections
    from rest_framework.authtoken.models import Token

    from motcua.catalog.services import catalog_import
    from tests.factories import make_citizen, make_province_tree, small_catalog
    from tests.intake import birth_documents

    make_province_tree()
    catalog_import(actor=None, document=small_catalog())
    citizen = make_citizen(personal_id="042190001234", phone="0912345678")
    token = Token.objects.create(user=citizen)
    documents = [doc.pk for doc in birth_documents()]
    connections.close_all()
    return token.key, documents


def heartbeat() -> None:
    from django.db import connections

    from motcua.core.health import beat

    beat("bench-api-load")
    connections.close_all()


def count_dossiers() -> int:
    from django.db import connections

    from motcua.dossiers.models import Dossier

    try:
        return Dossier.objects.count()
    finally:
        connections.close_all()


class Server:
    """A process started in its own session, so that stopping it reaches every process it forked."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                args, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # the group of the process started here
            self.process.wait(timeout=10)

    def log_tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-20:])


def wait_until_up(port: int, server: Server, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.process.returncode}:\n{server.log_tail()}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s:\n{server.log_tail()}")


def client(port: int, request: Request, number: int, deadline: float, stop: threading.Event, tally: Tally) -> None:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    n = 0
    try:
        while not stop.is_set() and time.perf_counter() < deadline:
            n += 1
            start = time.perf_counter()
            try:
                connection.request(request.method, request.path, body=request.body, headers=request.headers(number, n))
                response = connection.getresponse()
                response.read()
                tally.statuses[response.status] += 1
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()  # reconnects on the next request
            except (OSError, http.client.HTTPException) as exc:
                tally.failures[type(exc).__name__] += 1
                connection.close()
            tally.latencies.append((time.perf_counter() - start) * 1000)
    finally:
        connection.close()


def drive(port: int, request: Request, *, clients: int, seconds: float) -> tuple[Tally, float]:
    """``clients`` threads repeat ``request`` for ``seconds``; the merged tally and the elapsed time."""
    stop = threading.Event()
    tallies = [Tally() for _ in range(clients)]
    began = time.perf_counter()
    deadline = began + seconds
    threads = [
        threading.Thread(target=client, args=(port, request, i, deadline, stop, tallies[i]), daemon=True)
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join()
    finally:
        stop.set()
    elapsed = time.perf_counter() - began
    total = Tally()
    for tally in tallies:
        total.add(tally)
    return total, elapsed


def describe(name: str, tally: Tally, elapsed: float, ok: int) -> tuple[float, dict[str, float], int]:
    good = tally.statuses[ok]
    errors = sum(tally.statuses.values()) - good + sum(tally.failures.values())
    rate = good / elapsed
    s = summary(tally.latencies) if tally.latencies else {"n": 0, "p50": 0.0, "p95": 0.0}
    print(
        f"{name}: {good} × {ok} in {elapsed:.1f} s = {rate:.1f}/s; latency p50 {s['p50']} ms, p95 {s['p95']} ms"
        f" over {s['n']} requests; errors {errors}"
    )
    if errors:
        print(f"  answers: {dict(tally.statuses)}; transport errors: {dict(tally.failures)}")
    return rate, s, errors


def arguments() -> argparse.Namespace:
    def seconds(value: str) -> float:
        number = float(value)
        if not 1 <= number <= MAX_SECONDS:
            raise argparse.ArgumentTypeError(f"between 1 and {MAX_SECONDS}")
        return number

    parser = argparse.ArgumentParser(description="API load bench (see the module docstring)")
    parser.add_argument("--seconds", type=seconds, default=60.0, help="length of the POST phase (default 60)")
    parser.add_argument("--clients", type=int, choices=range(1, 51), default=10, metavar="1..50")
    parser.add_argument("--workers", type=int, choices=range(1, 17), default=4, metavar="1..16")
    parser.add_argument("--threads", type=int, choices=range(1, 17), default=1, metavar="1..16")
    parser.add_argument("--worker", action="store_true", help="run manage.py run_worker during the bench")
    return parser.parse_args()


def start_gunicorn(args: argparse.Namespace, env: dict[str, str], workdir: Path, servers: list[Server]) -> int:
    """gunicorn with the production settings in ``env`` on a free loopback port (``--workers``,
    ``--threads``), answering before this returns; it joins ``servers`` (stopped by ``production_site``)."""
    port = free_port()
    gunicorn = [
        str(BIN / "gunicorn"),
        "motcua.wsgi:application",
        f"--bind={HOST}:{port}",
        f"--workers={args.workers}",
        f"--threads={args.threads}",
        "--graceful-timeout=5",
        "--log-level=warning",
    ]
    server = Server(gunicorn, env, workdir / "gunicorn.log")
    servers.append(server)
    wait_until_up(port, server)
    kind = "gthread" if args.threads > 1 else "sync"
    print(f"server: gunicorn {kind}, {args.workers} workers × {args.threads} threads on {HOST}:{port}, DEBUG off")
    return port


@contextmanager
def production_site(bench: str, *, collect_static: bool = False) -> Iterator[tuple[dict[str, str], Path, list[Server]]]:
    """A throw-away PostgreSQL database, migrated, and the environment of the production settings (no
    debug, a secret key, loopback host) in a temporary directory; yields (environment, directory, the
    list where the caller puts the servers it starts). Servers stop and everything goes at the end, also
    on errors, Ctrl-C or SIGTERM."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that the clean-up below runs
    admin_url = os.environ.get("DATABASE_URL") or LOCAL_POSTGRES
    if not admin_url.startswith(("postgres://", "postgresql://")):
        sys.exit(f"{bench} needs PostgreSQL: set DATABASE_URL to a postgres:// server (a database is created on it)")
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    workdir = Path(tempfile.mkdtemp(prefix=f"motcua-bench-{bench}-"))
    (workdir / "static").mkdir()
    servers: list[Server] = []
    try:
        with throwaway_database(admin_url, f"motcua_bench_{os.getpid()}") as database_url:
            env = {
                **os.environ,
                "DATABASE_URL": database_url,
                "DJANGO_SETTINGS_MODULE": "motcua.settings",
                "DJANGO_DEBUG": "0",
                "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                "MOTCUA_REQUIRE_SECRET": "1",
                "DJANGO_ALLOWED_HOSTS": HOST,
                "MOTCUA_VAR_DIR": str(workdir),
                "MOTCUA_LOG_LEVEL": "WARNING",
            }
            env.pop("MOTCUA_PLAIN_STATIC", None)
            manage(env, "migrate", "--noinput", "-v0")
            manage(env, "createcachetable")
            if collect_static:
                manage(env, "collectstatic", "--noinput", "-v0")  # pages link hashed static files in production
            try:
                yield env, workdir, servers
            finally:
                for server in reversed(servers):
                    server.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    args = arguments()
    with production_site("api") as (env, workdir, servers):
        token, (first, second) = load_data(env)
        run(args, env, workdir, servers, token, first, second)


def run(
    args: argparse.Namespace,
    env: dict[str, str],
    workdir: Path,
    servers: list[Server],
    token: str,
    first: int,
    second: int,
) -> None:
    if args.worker:
        servers.append(
            Server([str(BIN / "python"), str(ROOT / "manage.py"), "run_worker"], env, workdir / "worker.log")
        )
    else:
        heartbeat()
    port = start_gunicorn(args, env, workdir, servers)

    encoded = base64.b64encode(PDF).decode()
    body = json.dumps(
        {
            "procedure_code": "1.001193",
            "agency_code": "H99.101",
            "form_data": {"ho_ten_tre": "Nguyễn Văn An", "ngay_sinh": "2026-03-01"},
            "documents": [
                {"name": "to-khai.pdf", "required_document": first, "content_base64": encoded},
                {"name": "giay-chung-sinh.pdf", "required_document": second, "content_base64": encoded},
            ],
        }
    ).encode()
    run_id = secrets.token_hex(4)

    def post_headers(number: int, n: int) -> dict[str, str]:
        return {
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Idempotency-Key": f"bench-{run_id}-{phase[0]}-{number}-{n}",
        }

    phase = ["warm-up"]
    create = Request("POST", "/api/v1/dossiers", body, post_headers)
    health = Request("GET", "/healthz", None, lambda number, n: {"Accept": "application/json"})

    warm, _ = drive(port, create, clients=args.clients, seconds=WARMUP_SECONDS)
    if not args.worker:
        heartbeat()  # fresh for the whole baseline phase
    baseline_tally, baseline_elapsed = drive(port, health, clients=args.clients, seconds=HEALTHZ_SECONDS)
    phase[0] = "measured"
    tally, elapsed = drive(port, create, clients=args.clients, seconds=args.seconds)

    print(f"clients: {args.clients} threads, keep-alive http.client; warm-up {warm.statuses[201]} creations")
    baseline, _, _ = describe("baseline GET /healthz", baseline_tally, baseline_elapsed, ok=200)
    rate, latency, errors = describe("POST /api/v1/dossiers", tally, elapsed, ok=201)
    stored = count_dossiers()
    expected = warm.statuses[201] + tally.statuses[201]
    print(f"dossiers in the database: {stored} (creations answered: {expected})")
    if stored != expected:
        errors += abs(stored - expected)
    print(f"creations: {rate:.1f}/s, p95 {latency['p95']} ms, errors {errors}")
    met = rate >= TARGET_RATE and latency["p95"] < TARGET_P95_MS and errors == 0
    report(bench="api_load", value=rate, unit="creations/s", baseline=baseline, target=TARGET_RATE, met=met)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrupted: server stopped, database dropped")
