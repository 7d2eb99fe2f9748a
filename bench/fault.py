"""Fault test (issue 13): API creations while a gunicorn worker and the task worker are SIGKILLed.

What it does, in order:

1. creates a throw-away PostgreSQL database ``motcua_fault_<pid>`` (``--database``; on the server of
   ``DATABASE_URL``, else postgres://root@127.0.0.1:5432/postgres) and a temporary var directory, migrates
   it and loads the demo province (no synthetic history); the demo citizen Nguyễn Thị Lan gets an API
   token (all of this is ``api_load``'s set-up: ``production_site``);
2. starts ``TASK_WORKERS`` task workers (``manage.py run_worker``, environment: ``WORKER_ENV`` below), the
   fake national portal the sync pushes every dossier and event to (``production_site``), and gunicorn
   with production settings, ``--workers 2`` sync, on a free port of 127.0.0.1;
3. for ``--seconds`` (default 40, at most 60) ``--clients`` threads (default 4) submit the demo birth
   registration (``POST /api/v1/dossiers``, the body ``api_load`` sends), each submission with its own
   ``Idempotency-Key`` (uuid4 hex), repeating the SAME key and body on a transport error, a 5xx or a 429
   until a 200/201 answers (a submission still unanswered 30 s after the load stops is counted
   unanswered);
4. at 1/3 of the load SIGKILLs one gunicorn worker (a child of the master; the master forks a new one),
   at 1/2 SIGKILLs the first task worker at a moment when a task runs (waiting up to 3 s for one) and
   starts a new one 3 s later (``--no-worker-kill``: the task workers are left alone);
5. waits (at most ``--drain-seconds``, default 45) until no task is READY or RUNNING, no notification is
   pending and every national sync message is delivered, then checks from the database and the channels:
   - every key answered 2xx has exactly one dossier, with the code the answers gave (0 lost, 0
     duplicated; a dossier of the citizen under no key that was sent counts as duplicated);
   - the codes of each sequence (receiving agency and day: ``dossiers/codes.py``) are 1..n with neither
     gap nor duplicate, and the day's counter stands at n;
   - every notification the created dossiers' events call for (``notifications/services.py``: an online
     submission notifies, by e-mail and SMS since the citizen has both) exists, is marked sent and was
     delivered exactly once, counted at the channels: e-mails in the file backend's files under
     ``MOTCUA_VAR_DIR/mail`` (matched to their row by recipient, subject and body), SMS by the
     ``RecordingSmsChannel`` below, the outbox gateway plus one line per send in a file;
   - every national sync message (two per event that changes the dossier's record) is delivered, and the
     fake portal stored each dossier once and its events in order (issue 15);
6. prints the figures, then one JSON line (value = lost + duplicated + code gaps and duplicates +
   notification errors + keys never answered 2xx; target 0) and exits 1 if any check fails; gunicorn and
   the worker are stopped and the database dropped at the end, also on errors, Ctrl-C or SIGTERM.

Run from the project root (PostgreSQL must answer):
``.venv/bin/python bench/fault.py [--seconds 40] [--clients 4] [--drain-seconds 45] [--no-worker-kill]``
"""

from __future__ import annotations

import argparse
import base64
import email
import email.policy
import http.client
import json
import os
import signal
import sys
import threading
import time
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from _django import ROOT, report
from api_load import (
    AGENCY,
    BIN,
    HOST,
    PDF,
    PROCEDURE,
    Server,
    birth_form,
    production_site,
    required,
    start_gunicorn,
)

MAX_SECONDS = 60.0  # the bound on the load
GIVE_UP_SECONDS = 30.0  # a submission still unanswered this long after the load stopped is "unanswered"
RESTART_AFTER = 3.0  # seconds between the task worker's death and its restart
# Two task workers, as a site at scale runs (README): each dossier now costs the worker its notifications
# and its national sync messages, more than one process drains in the time the load leaves it.
TASK_WORKERS = 2
RUNNING_WAIT = 3.0  # how long the worker kill waits for a moment when a task is RUNNING
WEB_WORKERS = 2
SMS_LOG = "sms-deliveries.log"

# --- The task worker's environment: THE place to add what the worker reads. ---------------------------
# A short lease, so that the task the kill interrupted is taken again within --drain-seconds, and a short
# in-flight window for a notification whose send the kill cut (the minutely resend job then sends it).
WORKER_ENV: dict[str, str] = {"MOTCUA_TASK_LEASE_SECONDS": "3", "MOTCUA_NOTIFICATION_IN_FLIGHT_SECONDS": "5"}
# -----------------------------------------------------------------------------------------------------


class RecordingSmsChannel:
    """The SMS gateway of this run (``MOTCUA_SMS_CHANNEL``): like the outbox gateway nothing leaves the
    machine, and each send appends the notification's id to ``MOTCUA_VAR_DIR/sms-deliveries.log``, so
    that deliveries are counted where a real gateway would be called (a send killed before the row is
    marked sent and sent again shows as two lines)."""

    def send(self, notification: Any) -> None:
        from django.conf import settings

        line = f"{notification.pk}\n".encode()
        fd = os.open(Path(settings.VAR_DIR) / SMS_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)  # one write of a few bytes with O_APPEND: lines never interleave
        finally:
            os.close(fd)


@dataclass
class Submission:
    """One Idempotency-Key: the answers it got (status, or the transport error's name) and the codes."""

    key: str
    answers: list[str] = field(default_factory=list)
    codes: set[str] = field(default_factory=set)
    final: int = 0  # the status that ended it: 200/201, a refusal (4xx but 429), or 0 if unanswered

    @property
    def ok(self) -> bool:
        return self.final in (200, 201)


@dataclass
class Kill:
    what: str
    pid: int
    at: float  # seconds into the load
    note: str = ""


def arguments() -> argparse.Namespace:
    def seconds(value: str) -> float:
        number = float(value)
        if not 5 <= number <= MAX_SECONDS:
            raise argparse.ArgumentTypeError(f"between 5 and {MAX_SECONDS:.0f}")
        return number

    parser = argparse.ArgumentParser(description="Fault test (see the module docstring)")
    parser.add_argument("--seconds", type=seconds, default=40.0, help="length of the load (default 40, ≤ 60)")
    parser.add_argument("--clients", type=int, choices=range(1, 17), default=4, metavar="1..16")
    parser.add_argument("--drain-seconds", type=float, default=45.0, help="wait for the task queue (default 45)")
    parser.add_argument("--no-worker-kill", action="store_true", help="kill only the gunicorn worker")
    parser.add_argument("--database", default="", help="throw-away database (default motcua_fault_<pid>)")
    args = parser.parse_args()
    args.workers, args.threads = WEB_WORKERS, 1  # what start_gunicorn reads
    if not 1 <= args.drain_seconds <= 300:
        parser.error("--drain-seconds between 1 and 300")
    return args


def prepare(env: dict[str, str]) -> tuple[str, int, bytes]:
    """In this process, on the fault database: the demo province, the citizen's token and id, and the
    body of a submission (what ``api_load`` sends: every e-form field, the documents always required)."""
    os.environ.update(env)
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    import django

    django.setup()
    from django.db import connections
    from django.utils import timezone

    from motcua.catalog.models import Procedure
    from motcua.demo.province import DEMO_CITIZENS, load_demo_province
    from motcua.identity.models import User
    from motcua.identity.tokens import api_token_create

    began = time.perf_counter()
    load_demo_province()
    citizen = User.objects.get(username=DEMO_CITIZENS[0].personal_id)
    # A key as the citizen makes one from a session that passed the login (identity.tokens).
    token = api_token_create(actor=citizen, name="fault", from_session=True, second_factor_passed=True)[1]
    version = Procedure.objects.get(code=PROCEDURE).current_version
    assert version is not None, "birth registration has no published version"
    form = birth_form(version.form_schema or {}, timezone.localdate() - timedelta(days=12))
    documents = [doc.pk for doc in version.required_documents.order_by("position") if required(doc)]
    encoded = base64.b64encode(PDF).decode()
    body = {
        "procedure_code": PROCEDURE,
        "agency_code": AGENCY,
        "form_data": form,
        "documents": [
            {"name": f"giay-to-{n}.pdf", "required_document": pk, "content_base64": encoded}
            for n, pk in enumerate(documents, start=1)
        ],
    }
    print(f"demo province loaded in {time.perf_counter() - began:.1f} s")
    connections.close_all()
    return token, citizen.pk, json.dumps(body, ensure_ascii=False).encode()


def children(pid: int) -> list[int]:
    """The live processes whose parent is ``pid`` (from /proc: gunicorn's workers are the master's)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (name) ": state, ppid, ...
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return sorted(found)


def submit_all(
    port: int, token: str, body: bytes, stop: threading.Event, give_up: list[float], done: list[Submission]
) -> None:
    """One client: a new key after each answered submission until ``stop``; the same key and body again
    after a transport error, a 5xx or a 429 (after a short pause) until answered or ``give_up[0]``."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        while not stop.is_set():
            submission = Submission(key=uuid.uuid4().hex)
            headers = {
                "Authorization": f"Token {token}",
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Idempotency-Key": submission.key,
            }
            while True:
                try:
                    connection.request("POST", "/api/v1/dossiers", body=body, headers=headers)
                    response = connection.getresponse()
                    payload = response.read()
                    status = response.status
                    submission.answers.append(str(status))
                    if response.getheader("Connection", "").lower() == "close":
                        connection.close()
                except (OSError, http.client.HTTPException) as exc:
                    submission.answers.append(type(exc).__name__)
                    connection.close()
                    status = 0
                if status in (200, 201):
                    submission.codes.add(str(json.loads(payload).get("code", "")))
                    submission.final = status
                    break
                if 400 <= status < 500 and status != 429:
                    submission.final = status  # refused: a valid body under faults must never be
                    break
                if time.monotonic() > give_up[0]:
                    break
                time.sleep(0.2)
            done.append(submission)
    finally:
        connection.close()


def kill_web_worker(master: int, at: float) -> Kill:
    """SIGKILL one gunicorn worker; wait (≤ 30 s) until the master has forked its replacement."""
    workers = children(master)
    if not workers:
        raise RuntimeError("gunicorn has no worker to kill")
    victim = workers[0]
    os.kill(victim, signal.SIGKILL)
    began = time.monotonic()
    while time.monotonic() - began < 30:
        now = children(master)
        if victim not in now and len(now) >= WEB_WORKERS:
            return Kill(
                "gunicorn worker", victim, at, f"master forked pid {max(now)} in {time.monotonic() - began:.1f} s"
            )
        time.sleep(0.05)
    return Kill("gunicorn worker", victim, at, "NOT replaced within 30 s")


def kill_task_worker(worker: Server, at: float) -> Kill:
    """SIGKILL the task worker, preferably while it runs a task (waits ≤ RUNNING_WAIT for one)."""
    from django.db import connections
    from django_tasks_db.models import DBTaskResult

    running = 0
    deadline = time.monotonic() + RUNNING_WAIT
    while time.monotonic() < deadline:
        running = DBTaskResult.objects.filter(status="RUNNING").count()
        if running:
            break
        time.sleep(0.01)
    os.kill(worker.process.pid, signal.SIGKILL)
    worker.process.wait(timeout=10)
    connections.close_all()
    return Kill("task worker", worker.process.pid, at, f"{running} task(s) RUNNING just before the kill")


def drain(timeout: float) -> tuple[float, dict[str, Any]]:
    """Wait until no task is READY or RUNNING, no notification is pending and every national sync
    message is delivered (at most ``timeout``); (seconds waited, tasks by status, those left by name, and
    the mean run time of each task)."""
    from django.db import connections
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from motcua.integrations.models import SyncMessage, SyncStatus
    from motcua.notifications.models import Notification

    began = time.monotonic()
    try:
        while time.monotonic() - began < timeout:
            # A notification whose send the kill cut is sent again by the worker's minutely resend job,
            # not by a task: the drain waits for it too.
            busy = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()
            if (
                not busy
                and not Notification.objects.filter(status="pending").exists()
                and not SyncMessage.objects.exclude(status=SyncStatus.DELIVERED).exists()
            ):
                break
            time.sleep(0.5)
        rows = DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by()
        by_status = {str(status): n for status, n in rows}
        # Which tasks were left waiting, by name, so that a drain that ran out of time says why.
        left = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).values_list("task_path")
        for path, n in left.annotate(n=Count("id")).order_by("-n"):
            by_status[f"left: {str(path).rsplit('.', 1)[-1]}"] = n
        done = DBTaskResult.objects.filter(status="SUCCESSFUL", started_at__isnull=False, finished_at__isnull=False)
        spent: dict[str, list[float]] = {}
        for path, started, finished in done.values_list("task_path", "started_at", "finished_at"):
            spent.setdefault(str(path).rsplit(".", 1)[-1], []).append((finished - started).total_seconds() * 1000)
        for name, times in spent.items():  # the mean run time of a task, to see where the worker's time goes
            by_status[f"mean ms: {name}"] = round(sum(times) / len(times))
        return time.monotonic() - began, by_status
    finally:
        connections.close_all()


def check_dossiers(citizen_id: int, submissions: list[Submission]) -> dict[str, int]:
    """Lost, duplicated and mis-coded dossiers of the answered keys."""
    from motcua.dossiers.models import Dossier

    rows = Counter()  # scoped key -> rows
    codes: dict[str, str] = {}
    for key, code in Dossier.objects.filter(applicant_id=citizen_id).values_list("idempotency_key", "code"):
        rows[key] += 1
        codes[str(key)] = code
    sent = {f"{citizen_id}:{s.key}" for s in submissions}
    lost = duplicated = wrong_code = 0
    for submission in submissions:
        scoped = f"{citizen_id}:{submission.key}"
        if submission.ok:
            lost += rows[scoped] == 0
            duplicated += max(0, rows[scoped] - 1)
            wrong_code += rows[scoped] > 0 and submission.codes != {codes[scoped]}
    duplicated += sum(n for key, n in rows.items() if key not in sent)  # a dossier under no key we sent
    return {"lost": lost, "duplicated": duplicated, "answer code ≠ stored code": wrong_code}


def check_codes() -> dict[str, int]:
    """Every sequence (receiving agency, day) is 1..n, no duplicate, and its counter stands at n."""
    from motcua.dossiers.models import Dossier, DossierCounter

    numbers: dict[tuple[int, str], list[int]] = {}
    for agency_id, code in Dossier.objects.values_list("receiving_agency_id", "code"):
        prefix, _, number = code.rpartition("-")
        numbers.setdefault((agency_id, prefix), []).append(int(number))
    counters = {
        (agency_id, f"{code}-{day:%y%m%d}"): last
        for agency_id, code, day, last in DossierCounter.objects.values_list("agency_id", "agency__code", "day", "last")
    }
    gaps = duplicates = counter_off = 0
    for sequence, taken in numbers.items():
        distinct = set(taken)
        duplicates += len(taken) - len(distinct)
        gaps += max(distinct) - len(distinct)  # numbers 1..max not used
        counter_off += counters.get(sequence) != max(distinct)
    return {
        "sequences": len(numbers),
        "dossiers": sum(len(t) for t in numbers.values()),
        "gaps": gaps,
        "duplicates": duplicates,
        "counters off": counter_off,
    }


def mails(directory: Path) -> list[tuple[str, str, str]]:
    """(recipient, subject, body) of every message the file e-mail backend wrote."""
    separator = b"\n" + b"-" * 79 + b"\n"
    found = []
    for path in sorted(directory.glob("*")) if directory.is_dir() else []:
        for raw in path.read_bytes().split(separator):
            if not raw.strip():
                continue
            message: Any = email.message_from_bytes(raw, policy=email.policy.default)
            body = message.get_body(preferencelist=("plain",))
            text = body.get_content() if body is not None else ""
            found.append((str(message["To"]).strip(), _line(str(message["Subject"])), _plain(text)))
    return found


def check_sync(portal_url: str) -> dict[str, int]:
    """The national sync after the drain: our outbox, what the fake portal stored, and the errors (a
    message not delivered, a dossier or event the portal lacks or holds twice, one out of order)."""
    from motcua.dossiers.models import Dossier
    from motcua.integrations.models import SyncKind, SyncMessage, SyncStatus
    from motcua.integrations.national.fake_sync import summary

    with urllib.request.urlopen(f"{portal_url}/_fake/state", timeout=30) as answer:
        portal = summary(json.load(answer))
    messages = SyncMessage.objects.count()
    undelivered = SyncMessage.objects.exclude(status=SyncStatus.DELIVERED).count()
    events = SyncMessage.objects.filter(kind=SyncKind.EVENT).count()
    missing = abs(Dossier.objects.count() - portal["dossiers"]) + abs(events - portal["events"])
    return {
        "messages": messages,
        "undelivered": undelivered,
        "portal dossiers": portal["dossiers"],
        "portal events": portal["events"],
        "duplicates answered": portal["duplicates"],
        "out of order": portal["out_of_order"],
        "errors": undelivered + missing + portal["out_of_order"] + portal["rejected"],
    }


def _plain(text: str) -> str:
    return text.replace("\r\n", "\n").strip()


def _line(text: str) -> str:
    return " ".join(text.split())  # a long subject is folded over several header lines


def check_notifications(
    citizen_id: int, submissions: list[Submission], var: Path, problems: list[str] | None = None
) -> dict[str, int]:
    """Expected messages (one per notifying event and channel with a recipient), their rows, and their
    deliveries counted at the channels; each message missing or sent more than once is described in
    ``problems``."""
    from motcua.core.identifiers import normalize_phone
    from motcua.dossiers.constants import Channel
    from motcua.dossiers.models import DossierEvent
    from motcua.notifications.constants import KIND_BY_ACTION, NotificationChannel, NotificationStatus
    from motcua.notifications.models import Notification
    from motcua.workflow.constants import Action

    keys = [f"{citizen_id}:{s.key}" for s in submissions]
    expected: set[tuple[int, str]] = set()
    events = DossierEvent.objects.filter(dossier__idempotency_key__in=keys).select_related("dossier")
    for event in events:
        dossier = event.dossier
        if event.action not in KIND_BY_ACTION or (event.action == Action.SUBMIT and dossier.channel != Channel.ONLINE):
            continue
        if dossier.applicant_email.strip():
            expected.add((event.pk, NotificationChannel.EMAIL))
        if normalize_phone(dossier.applicant_phone):
            expected.add((event.pk, NotificationChannel.SMS))

    rows = {(n.event_id, n.channel): n for n in Notification.objects.filter(dossier__idempotency_key__in=keys)}
    by_content = {(n.recipient, _line(n.subject), _plain(n.body)): n.pk for n in rows.values() if n.channel == "email"}
    elsewhere = Notification.objects.exclude(dossier__idempotency_key__in=keys)
    others = {(n.recipient, _line(n.subject), _plain(n.body)) for n in elsewhere if n.channel == "email"}
    other_pks = {n.pk for n in elsewhere}
    delivered: Counter[int] = Counter()
    stray = 0
    for message in mails(var / "mail"):
        if message in by_content:
            delivered[by_content[message]] += 1
        elif message in others:
            continue  # a message of a dossier not of the run (one the national intake pulled in)
        else:
            stray += 1
            if problems is not None:
                problems.append(f"e-mail to {message[0]} '{message[1][:60]}': no row of the run")
    sms_log = var / SMS_LOG
    for line in sms_log.read_text().split() if sms_log.exists() else []:
        delivered[int(line)] += 1

    ours = {n.pk for n in rows.values()}
    # an SMS of no row at all (one of a dossier not of the run is not the run's business)
    foreign = {pk: times for pk, times in delivered.items() if pk not in ours and pk not in other_pks}
    stray += sum(foreign.values())
    if problems is not None:
        problems.extend(
            f"SMS of notification {pk} sent {times} time(s): no row of the run" for pk, times in foreign.items()
        )
    missing = duplicated = not_marked = 0
    for pair in sorted(expected):
        notification = rows.get(pair)
        times = delivered[notification.pk] if notification else 0
        if times != 1 and problems is not None:
            row = (
                f"row {notification.pk}, {notification.status}, {notification.attempts} attempt(s)"
                if notification
                else "no row"
            )
            problems.append(f"event {pair[0]} {pair[1]}: {row}, delivered {times} time(s)")
        missing += times == 0
        duplicated += max(0, times - 1)
        not_marked += times > 0 and notification is not None and notification.status != NotificationStatus.SENT
    return {
        "expected": len(expected),
        "rows": sum(pair in rows for pair in expected),
        "sent once": sum(delivered[rows[p].pk] == 1 for p in expected if p in rows),
        "missing": missing,
        "duplicated": duplicated,
        "delivered, row not marked sent": not_marked,
        "unexpected rows or deliveries": stray
        + sum(1 for n in rows.values() if (n.event_id, n.channel) not in expected),
    }


def main() -> int:
    args = arguments()
    database = args.database or f"motcua_fault_{os.getpid()}"
    started = time.monotonic()
    with production_site("fault", database=database) as (env, workdir, servers):
        env.update(
            {
                "MOTCUA_SMS_CHANNEL": "fault.RecordingSmsChannel",
                "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "bench"), env.get("PYTHONPATH", "")])),
            }
        )
        token, citizen_id, body = prepare(env)
        setup_seconds = time.monotonic() - started
        return run(args, env, workdir, servers, token, citizen_id, body, setup_seconds)


def run(
    args: argparse.Namespace,
    env: dict[str, str],
    workdir: Path,
    servers: list[Server],
    token: str,
    citizen_id: int,
    body: bytes,
    setup_seconds: float,
) -> int:
    worker_command = [str(BIN / "python"), str(ROOT / "manage.py"), "run_worker"]
    worker_env = {**env, **WORKER_ENV}
    workers = [Server(worker_command, worker_env, workdir / f"worker-{n}.log") for n in range(TASK_WORKERS)]
    servers.extend(workers)
    port = start_gunicorn(args, env, workdir, servers)
    master = servers[-1].process.pid

    stop = threading.Event()
    give_up = [float("inf")]
    done: list[Submission] = []
    clients = [
        threading.Thread(target=submit_all, args=(port, token, body, stop, give_up, done), daemon=True)
        for _ in range(args.clients)
    ]
    kills: list[Kill] = []
    began = time.monotonic()
    for thread in clients:
        thread.start()

    def at(fraction: float) -> None:
        time.sleep(max(0.0, began + args.seconds * fraction - time.monotonic()))

    at(1 / 3)
    kills.append(kill_web_worker(master, time.monotonic() - began))
    if not args.no_worker_kill:
        at(1 / 2)
        kills.append(kill_task_worker(workers[0], time.monotonic() - began))
        time.sleep(RESTART_AFTER)
        workers[0] = Server(worker_command, worker_env, workdir / "worker-0-again.log")
        servers.append(workers[0])
        kills[-1].note += f"; restarted after {RESTART_AFTER:.0f} s as pid {workers[0].process.pid}"
    at(1)
    stop.set()
    load_seconds = time.monotonic() - began
    give_up[0] = time.monotonic() + GIVE_UP_SECONDS
    for thread in clients:
        thread.join(timeout=GIVE_UP_SECONDS + 35)
    finish_seconds = time.monotonic() - began - load_seconds

    waited, tasks = drain(args.drain_seconds)
    problems: list[str] = []
    try:
        dossiers = check_dossiers(citizen_id, done)
        codes = check_codes()
        notes = check_notifications(citizen_id, done, workdir, problems)
        sync = check_sync(env["MOTCUA_NATIONAL_PORTAL_URL"])
    finally:
        from django.db import connections

        connections.close_all()

    answers = Counter(answer for s in done for answer in s.answers)
    created = sum(s.final == 201 for s in done)
    replayed = sum(s.final == 200 for s in done)
    retried = sum(len(s.answers) > 1 for s in done)
    refused = sum(s.final not in (0, 200, 201) for s in done)
    unanswered = sum(s.final == 0 for s in done) + sum(thread.is_alive() for thread in clients)
    worker_alive = all(worker.process.poll() is None for worker in workers)

    print(
        f"load: {args.clients} clients for {load_seconds:.1f} s (+{finish_seconds:.1f} s to finish the keys in flight)"
    )
    print(
        f"requests: {sum(answers.values())}; answers {dict(sorted(answers.items()))}; keys {len(done)}: "
        f"{created} answered 201, {replayed} answered 200 (a retry found the dossier), {retried} needed retries, "
        f"{refused} refused, {unanswered} unanswered"
    )
    for kill in kills:
        print(f"kill: SIGKILL {kill.what} pid {kill.pid} at {kill.at:.1f} s: {kill.note}")
    print(f"task workers alive at the end: {worker_alive}; queue drained after {waited:.1f} s: tasks {tasks}")
    print(f"dossiers: {dossiers}")
    print(f"codes: {codes}")
    print(f"notifications: {notes}")
    print(f"national sync: {sync}")
    for problem in problems[:10]:
        print(f"  {problem}")
    duration = time.monotonic() - began + setup_seconds
    print(
        f"durations: set-up {setup_seconds:.1f} s, load {load_seconds:.1f} s, drain {waited:.1f} s, "
        f"total {duration:.1f} s"
    )

    notification_errors = (
        notes["missing"]
        + notes["duplicated"]
        + notes["delivered, row not marked sent"]
        + notes["unexpected rows or deliveries"]
    )
    failures = (
        dossiers["lost"]
        + dossiers["duplicated"]
        + dossiers["answer code ≠ stored code"]
        + codes["gaps"]
        + codes["duplicates"]
        + codes["counters off"]
        + notification_errors
        + sync["errors"]
        + refused
        + unanswered
    )
    web_replaced = all("NOT" not in k.note for k in kills if k.what == "gunicorn worker")
    met = failures == 0 and created > 0 and web_replaced and worker_alive
    print(
        f"fault test: {'PASSED' if met else 'FAILED'}: lost {dossiers['lost']}, duplicated {dossiers['duplicated']}, "
        f"code gaps {codes['gaps']} and duplicates {codes['duplicates']}, notification errors {notification_errors} "
        f"({notes['missing']} missing, {notes['duplicated']} sent twice or more), national sync errors {sync['errors']}"
    )
    # baseline: the submissions answered, so that the ratio reads as errors per submission
    report(bench="fault", value=failures, unit="errors", baseline=created + replayed, target=0, met=met)
    return 0 if met else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("interrupted: servers stopped, database dropped")
