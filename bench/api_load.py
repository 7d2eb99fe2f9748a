"""API load: POST /api/v1/dossiers against the production server configuration, on a realistic database.

What it does, in order:

1. creates a throw-away PostgreSQL database (``--database``, default ``motcua_bench_<pid>``; psycopg, on
   the server of ``DATABASE_URL`` if set, else postgres://root@127.0.0.1:5432/postgres) and a temporary
   var directory;
2. runs ``manage.py migrate`` and ``manage.py createcachetable`` against it, then loads the demo province
   (Quảng Ninh: 31 agencies, 56 procedures, 778 offerings, the demo staff and citizens), grows a
   synthetic history of ``--dossiers`` dossiers (default 100,000, ``demo.synthetic``, with their events
   and daily counts), runs ``VACUUM (ANALYZE)`` (what autovacuum does after such a load) and gives the
   demo citizen Nguyễn Thị Lan an API token;
3. starts the task worker (``manage.py run_worker``, a real process: its own heartbeat makes /healthz
   answer 200, and it sends the notifications every creation enqueues) and gunicorn with production
   settings (``DJANGO_DEBUG=0``, a random ``DJANGO_SECRET_KEY``, no plain-static override) on a free port
   of 127.0.0.1: ``--workers 4 --threads 1`` by default;
4. warms up, then measures ``GET /healthz`` with the same clients for 10 s (the baseline: a request
   through the whole stack doing one trivial query; only 200 answers count), then ``POST
   /api/v1/dossiers`` for ``--seconds`` (60): the demo birth-registration procedure 1.001193 at phường
   Hồng Gai, an answer for every field of its e-form (``form_schema``: a mother registers her newborn)
   and a PDF for each document the procedure requires in every case, a unique ``Idempotency-Key`` per
   request; only 201 answers count as creations, anything else is an error;
5. waits (up to 180 s) for the worker to run every queued task and reports the notifications it sent;
6. stops gunicorn and the worker, drops the database and removes the directory, also on errors and
   Ctrl-C (SIGTERM then SIGKILL of the process group it started).

Clients are threads of this process, each with one keep-alive ``http.client`` connection (re-opened
when the server closes it: the sync worker closes after every response), so latencies include the
client's own share of the machine. Loopback only; run time bounded (``--seconds`` ≤ 600).
Target: ≥ 100 creations/s with p95 < 150 ms and 0 errors.

Run from the project root (PostgreSQL must answer):
``.venv/bin/python bench/api_load.py [--seconds 60] [--clients 10] [--workers 4] [--threads 1]
[--dossiers 100000] [--database NAME]``
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
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from _django import LOCAL_POSTGRES, ROOT, report, summary

HOST = "127.0.0.1"  # loopback only: the bench never drives another machine
MAX_SECONDS = 600
TARGET_RATE = 100.0
TARGET_P95_MS = 150.0
HEALTHZ_SECONDS = 10.0
WARMUP_SECONDS = 3.0


def _bench_pdf() -> bytes:
    """A small valid one-page PDF: uploads are opened and checked (``dossiers.files``), so a few bytes
    that only start with %PDF- are refused."""
    import io

    import pikepdf

    document = pikepdf.new()
    document.add_blank_page(page_size=(595, 842))
    document.docinfo["/Title"] = "bench document"
    out = io.BytesIO()
    document.save(out, static_id=True)
    return out.getvalue()


PDF = _bench_pdf()
BIN = Path(sys.executable).parent
PROCEDURE, AGENCY = "1.001193", "H49.101"  # birth registration at phường Hồng Gai
DRAIN_SECONDS = 180.0


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


def birth_form(schema: dict[str, Any], born: date) -> dict[str, Any]:
    """An answer for every field of the birth-registration e-form: Nguyễn Thị Lan (the demo citizen)
    registers her son born ``born``; a field the catalog adds later gets a plausible value of its type."""
    answers: dict[str, Any] = {
        "ho_ten_nguoi_yeu_cau": "Nguyễn Thị Lan",
        "so_dinh_danh_nguoi_yeu_cau": "022190001234",
        "dien_thoai": "0912345678",
        "quan_he_voi_tre": "Mẹ",
        "ho_ten_tre": "Trần Minh Khang",
        "ngay_sinh": born.isoformat(),
        "gioi_tinh": "Nam",
        "dan_toc": "Kinh",
        "quoc_tich": "Việt Nam",
        "noi_sinh": "Bệnh viện Đa khoa tỉnh Quảng Ninh, phường Hồng Gai, tỉnh Quảng Ninh",
        "que_quan": "Phường Hồng Gai, tỉnh Quảng Ninh",
        "ho_ten_me": "Nguyễn Thị Lan",
        "so_dinh_danh_me": "022190001234",
        "ho_ten_cha": "Trần Văn Minh",
        "so_dinh_danh_cha": "022088005678",
        "so_ban_sao": 1,
    }
    fields: dict[str, dict[str, Any]] = schema.get("properties", {})
    form: dict[str, Any] = {}
    for name, spec in fields.items():
        if name in answers:
            form[name] = answers[name]
        elif "default" in spec:
            form[name] = spec["default"]
        elif spec.get("enum"):
            form[name] = spec["enum"][0]
        elif spec.get("type") == "boolean":
            form[name] = False
        elif spec.get("type") in ("integer", "number"):
            form[name] = spec.get("minimum", 0)
        elif spec.get("format") == "date":
            form[name] = born.isoformat()
        else:
            form[name] = "Không"
    return form


def required(document: Any) -> bool:
    """Whether a mother submitting for her own child gives this document: every document the catalog
    requires in every case (not one marked conditional or optional)."""
    kind = str(getattr(document, "requirement", "") or "always")
    return kind in ("always", "required")


def load_data(env: dict[str, str], dossiers: int, seed: int) -> tuple[str, dict[str, Any], list[int]]:
    """In this process, on the bench database: the demo province, its synthetic history, the demo
    citizen's token, the e-form answers and the documents birth registration requires."""
    os.environ.update(env)
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    import django

    django.setup()
    from django.db import connection, connections
    from django.utils import timezone

    from motcua.catalog.models import Procedure
    from motcua.demo.province import DEMO_CITIZENS, load_demo_province
    from motcua.demo.synthetic import synthetic_seed
    from motcua.identity.models import User
    from tests.second_factor import api_key_for

    load_demo_province()
    began = time.perf_counter()
    seeded = synthetic_seed(dossiers=dossiers, seed=seed, background=True)
    print(f"history: {seeded.dossiers:,} dossiers, {seeded.events:,} events in {time.perf_counter() - began:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    citizen = User.objects.get(username=DEMO_CITIZENS[0].personal_id)
    token = api_key_for(citizen, name="bench")
    version = Procedure.objects.get(code=PROCEDURE).current_version
    assert version is not None, "birth registration has no published version"
    schema = version.form_schema or {}
    form = birth_form(schema, timezone.localdate() - timedelta(days=12))
    documents = [doc.pk for doc in version.required_documents.order_by("position") if required(doc)]
    print(
        f"{PROCEDURE} at {AGENCY}: e-form {len(form)} of {len(schema.get('properties', {}))} fields answered, "
        f"{len(documents)} of {version.required_documents.count()} documents given (those required in every case)"
    )
    connections.close_all()
    return token, form, documents


def queue_drained(timeout: float) -> tuple[float, dict[str, int], dict[str, int]]:
    """Wait until the worker has run every queued task; (seconds waited, tasks by status, notifications
    by channel and status)."""
    from django.db import connections
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from motcua.notifications.models import Notification

    began = time.perf_counter()
    try:
        while time.perf_counter() - began < timeout:
            if not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists():
                break
            time.sleep(0.5)
        waited = time.perf_counter() - began
        tasks = {str(k): n for k, n in DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by()}
        rows = Notification.objects.values_list("channel", "status").annotate(n=Count("id")).order_by()
        return waited, tasks, {f"{channel} {status}": n for channel, status, n in rows}
    finally:
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


def start_national_portal(env: dict[str, str], workdir: Path, servers: list[Server]) -> None:
    """The fake national portal on a free port, where production would reach the real one: every
    dossier event is pushed to it by the task worker (issue 15), a side effect the benches must carry."""
    port = free_port()
    command = [str(BIN / "python"), str(ROOT / "manage.py"), "run_fakes", "--only", "national_portal"]
    portal = Server([*command, "--port", str(port)], env, workdir / "national-portal.log")
    servers.append(portal)
    env["MOTCUA_NATIONAL_PORTAL_URL"] = f"http://{HOST}:{port}"
    wait_until_up(port, portal, path="/_fake/state")


def wait_until_up(port: int, server: Server, timeout: float = 60.0, path: str = "/healthz") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.log.stem} exited with {server.process.returncode}:\n{server.log_tail()}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", path)
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
    parser.add_argument("--dossiers", type=int, default=100_000, help="synthetic history (default 100000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", default="", help="name of the throw-away database (default motcua_bench_<pid>)")
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
def production_site(
    bench: str, *, collect_static: bool = False, database: str = ""
) -> Iterator[tuple[dict[str, str], Path, list[Server]]]:
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
        with throwaway_database(admin_url, database or f"motcua_bench_{os.getpid()}") as database_url:
            env = {
                **os.environ,
                "DATABASE_URL": database_url,
                "DJANGO_SETTINGS_MODULE": "motcua.settings",
                "DJANGO_DEBUG": "0",
                "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                "DJANGO_ALLOWED_HOSTS": HOST,
                "MOTCUA_VAR_DIR": str(workdir),
                "MOTCUA_LOG_LEVEL": "WARNING",
                # SMS are written and "sent" through the outbox channel as before the gateway existed: the
                # benches measure our side, and a gateway fake on its demo port may not be running.
                "MOTCUA_SMS_CHANNEL": "motcua.notifications.channels.OutboxSmsChannel",
            }
            env.pop("MOTCUA_PLAIN_STATIC", None)
            manage(env, "migrate", "--noinput", "-v0")
            manage(env, "createcachetable")
            if collect_static:
                manage(env, "collectstatic", "--noinput", "-v0")  # pages link hashed static files in production
            try:
                start_national_portal(env, workdir, servers)
                yield env, workdir, servers
            finally:
                for server in reversed(servers):
                    server.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    args = arguments()
    with production_site("api", database=args.database) as (env, workdir, servers):
        token, form, documents = load_data(env, args.dossiers, args.seed)
        run(args, env, workdir, servers, token, form, documents)


def run(
    args: argparse.Namespace,
    env: dict[str, str],
    workdir: Path,
    servers: list[Server],
    token: str,
    form: dict[str, Any],
    documents: list[int],
) -> None:
    servers.append(Server([str(BIN / "python"), str(ROOT / "manage.py"), "run_worker"], env, workdir / "worker.log"))
    port = start_gunicorn(args, env, workdir, servers)

    encoded = base64.b64encode(PDF).decode()
    body = json.dumps(
        {
            "procedure_code": PROCEDURE,
            "agency_code": AGENCY,
            "form_data": form,
            "documents": [
                {"name": f"giay-to-{n}.pdf", "required_document": pk, "content_base64": encoded}
                for n, pk in enumerate(documents, start=1)
            ],
        },
        ensure_ascii=False,
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
    if warm.statuses[201] == 0:
        sys.exit(f"no creation in the warm-up: answers {dict(warm.statuses)}; first: {first_answer(port, create)}")
    baseline_tally, baseline_elapsed = drive(port, health, clients=args.clients, seconds=HEALTHZ_SECONDS)
    phase[0] = "measured"
    load = os.getloadavg()[0]
    tally, elapsed = drive(port, create, clients=args.clients, seconds=args.seconds)
    load_after = os.getloadavg()[0]

    print(f"clients: {args.clients} threads, keep-alive http.client; warm-up {warm.statuses[201]} creations")
    baseline, _, _ = describe("baseline GET /healthz", baseline_tally, baseline_elapsed, ok=200)
    rate, latency, errors = describe("POST /api/v1/dossiers", tally, elapsed, ok=201)
    print(f"load average: {load:.2f} at the start of the POST phase, {load_after:.2f} at its end")
    stored = count_dossiers() - args.dossiers
    expected = warm.statuses[201] + tally.statuses[201]
    print(f"dossiers created in the database: {stored} (creations answered: {expected})")
    if stored != expected:
        errors += abs(stored - expected)
    waited, tasks, notifications = queue_drained(DRAIN_SECONDS)
    print(f"task worker: queue emptied {waited:.1f} s after the last request; tasks {tasks}")
    print(f"notifications: {notifications}")
    print(f"creations: {rate:.1f}/s, p95 {latency['p95']} ms, errors {errors}")
    met = rate >= TARGET_RATE and latency["p95"] < TARGET_P95_MS and errors == 0
    report(bench="api_load", value=rate, unit="creations/s", baseline=baseline, target=TARGET_RATE, met=met)


def first_answer(port: int, request: Request) -> str:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(request.method, request.path, body=request.body, headers=request.headers(0, 0))
        response = connection.getresponse()
        return f"{response.status} {response.read()[:600].decode(errors='replace')}"
    finally:
        connection.close()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrupted: server stopped, database dropped")
