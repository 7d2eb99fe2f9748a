"""Keeping the daily counts (``DossierDayStat``) current, and rebuilding them from the event log.

What an event counts depends on the event alone (its action, time, due time after the action and
payload) and on the dossier's fixed attributes (competent and receiving agency, procedure, channel), so
the incremental path (``stat_upserts``, run by the writer with each event) and the rebuild (``stats_rebuild``, one
GROUP BY over the events) give the same figures. Timeliness follows ``MOTCUA_TIMELINESS_COMPARE``:
"timestamp" (default) or "date" (DOMAIN.md §6).
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Count, F, IntegerField, Q, Sum, When
from django.db.models.functions import TruncDate

from motcua.core.rowsql import Statement
from motcua.core.working_time import DEFAULT_TIMEZONE, Timeliness, classify
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.workflow.constants import Action, ReturnVia
from motcua.workflow.models import COUNTERS, DossierDayStat, DossierMonthStat

LOCAL = ZoneInfo(DEFAULT_TIMEZONE)
_SIMPLE: dict[str, str] = {
    Action.SUBMIT: "submitted",
    Action.RECEIVE: "received",
    Action.REFUSE: "refused",
    Action.REQUEST_SUPPLEMENT: "supplements",
    Action.WITHDRAW: "withdrawn",
    Action.STOP: "stopped",
    Action.RETURN_RESULT: "returned",
    Action.APOLOGIZE: "apologies",
}
_FINISHED = {
    Timeliness.FINISHED_EARLY: "finished_early",
    Timeliness.ON_TIME: "finished_on_time",
    Timeliness.LATE: "finished_late",
}


def compare_by() -> Literal["timestamp", "date"]:
    """Timeliness compares instants, or local dates (DOMAIN.md §6: a setting; instants by default)."""
    return "date" if getattr(settings, "MOTCUA_TIMELINESS_COMPARE", "timestamp") == "date" else "timestamp"


def stat_deltas(*, action: str, at: datetime, due_at: datetime | None, payload: dict[str, Any]) -> dict[str, int]:
    """The counters one event adds to (pure)."""
    deltas: dict[str, int] = {}
    if action in _SIMPLE:
        deltas[_SIMPLE[action]] = 1
    if action == Action.RECEIVE:
        deltas.update(_reception_deltas(payload))
    if action == Action.RETURN_RESULT and payload.get("via") == ReturnVia.ELECTRONIC:
        deltas["returned_electronic"] = 1
    if action == Action.ISSUE_RESULT:
        deltas.update(_issue_deltas(payload))
    if action == Action.ISSUE_RESULT:
        # No deadline counts as on time: nothing was late.
        bucket = Timeliness.ON_TIME if due_at is None else classify(due=due_at, finished_at=at, compare_by=compare_by())
        deltas[_FINISHED[bucket]] = 1
    return deltas


def _reception_deltas(payload: dict[str, Any]) -> dict[str, int]:
    """What a reception counts for digitization and reuse, from the figures the writer recorded in its
    payload (``workflow.writer.reception_payload``)."""
    deltas = {}
    if payload.get("digitized"):
        deltas["digitized"] = 1
    if (payload.get("reused") or 0) > 0:
        deltas["reused"] = 1
    if (payload.get("store_held") or 0) > 0:
        deltas["store_held"] = 1
        if payload.get("asked_again") == 0:
            deltas["not_asked_again"] = 1
    return deltas


def _issue_deltas(payload: dict[str, Any]) -> dict[str, int]:
    """What an issued result counts besides its timeliness (``workflow.writer.issue_payload``)."""
    flags = {
        "issued_electronic": payload.get("electronic") is True,
        "certification_finished": payload.get("certification") is True,
        "certified_ecopies": payload.get("certification") is True and payload.get("certified_copy") is True,
        "crossed": payload.get("crossed") is True,
        "crossed_electronic": payload.get("crossed") is True and payload.get("paper_kept") is False,
    }
    return {name: 1 for name, counted in flags.items() if counted}


def stat_upserts(dossier: Dossier, event: DossierEvent) -> list[Statement]:
    """The upserts that add the event to its day's and its month's counts (none when it counts nothing),
    for the writer to run in its transaction, in the same round trip as the event's insert."""
    deltas = stat_deltas(action=event.action, at=event.at, due_at=event.due_at, payload=event.payload)
    if not deltas:
        return []
    day = event.at.astimezone(LOCAL).date()
    key = {
        "day": day,
        "agency_id": dossier.competent_agency_id,
        "receiving_agency_id": dossier.receiving_agency_id,
        "procedure_id": dossier.procedure_id,
        "channel": dossier.channel,
    }
    names = tuple(sorted(deltas))
    # In the order of the columns, as ``_upsert_sql`` places their parameters.
    values: list[Any] = [*key.values(), *(deltas[name] for name in COUNTERS if name in deltas)]
    month = [day.replace(day=1), *values[1:]]
    day_sql, month_sql = (
        _upsert_sql(model, tuple(key), names, connection.vendor) for model in (DossierDayStat, DossierMonthStat)
    )
    return [(day_sql, values), (month_sql, month)]


@cache
def _upsert_sql(model: type[Any], key: tuple[str, ...], names: tuple[str, ...], vendor: str) -> str:
    """INSERT … ON CONFLICT DO UPDATE adding ``names`` to the row of ``key`` (built once per shape).

    Parameters: the key, then the deltas of ``names``; the other counters are literal zeros. Few
    parameters keep the event's statement (which carries two of these) under the driver's limit for
    caching its parsed form (psycopg: 50)."""
    table = connection.ops.quote_name(model._meta.db_table)
    q = connection.ops.quote_name
    columns = [*key, *COUNTERS]
    placeholders = ["%s"] * len(key) + ["%s" if name in names else "0" for name in COUNTERS]
    increments = ", ".join(f"{q(name)} = {table}.{q(name)} + excluded.{q(name)}" for name in names)
    return (
        f"INSERT INTO {table} ({', '.join(q(c) for c in columns)}) VALUES ({', '.join(placeholders)}) "
        f"ON CONFLICT ({', '.join(q(c) for c in key)}) DO UPDATE SET {increments}"
    )


# The counters read from a reception's or an issue's payload, as conditions on the event: the rebuild and
# the dashboard's lists of dossiers (``reports.drilldown``) use them, and they say what ``_reception_deltas``
# and ``_issue_deltas`` say.
_RECEIVED = Q(action=Action.RECEIVE)
_ISSUED = Q(action=Action.ISSUE_RESULT)
STORE_HELD = _RECEIVED & Q(payload__store_held__gt=0)
CROSSED = _ISSUED & Q(payload__crossed=True)
CERTIFICATION = _ISSUED & Q(payload__certification=True)
PAYLOAD_CONDITIONS: dict[str, Q] = {
    "digitized": _RECEIVED & Q(payload__digitized=True),
    "reused": _RECEIVED & Q(payload__reused__gt=0),
    "store_held": STORE_HELD,
    "not_asked_again": STORE_HELD & Q(payload__asked_again=0),
    "issued_electronic": _ISSUED & Q(payload__electronic=True),
    "certification_finished": CERTIFICATION,
    "certified_ecopies": CERTIFICATION & Q(payload__certified_copy=True),
    "crossed": CROSSED,
    "crossed_electronic": CROSSED & Q(payload__paper_kept=False),
}


def _counter_expressions() -> dict[str, Any]:
    def count(condition: Q) -> Any:
        return Sum(Case(When(condition, then=1), default=0, output_field=IntegerField()))

    finished = Q(action=Action.ISSUE_RESULT)
    if compare_by() == "date":
        at_day, due_day = TruncDate("at", tzinfo=LOCAL), TruncDate("due_at", tzinfo=LOCAL)
        early = finished & Q(due_at__isnull=False) & Q(at_day__lt=F("due_day"))
        late = finished & Q(due_at__isnull=False) & Q(at_day__gt=F("due_day"))
        extra = {"at_day": at_day, "due_day": due_day}
    else:
        early = finished & Q(due_at__isnull=False, at__lt=F("due_at"))
        late = finished & Q(due_at__isnull=False, at__gt=F("due_at"))
        extra = {}
    expressions = {counter: count(Q(action=action)) for action, counter in _SIMPLE.items()}
    expressions |= {name: count(condition) for name, condition in PAYLOAD_CONDITIONS.items()}
    expressions |= {
        "returned_electronic": count(Q(action=Action.RETURN_RESULT, payload__via=ReturnVia.ELECTRONIC)),
        "finished_early": count(early),
        "finished_late": count(late),
        "finished_on_time": count(finished & ~(early | late)),
    }
    return {"_extra": extra, **expressions}


def stats_from_events() -> list[dict[str, Any]]:
    """The daily counts recomputed from every event (one grouped query)."""
    expressions = _counter_expressions()
    extra = expressions.pop("_extra")
    counted = [*_SIMPLE, Action.ISSUE_RESULT]
    rows = (
        DossierEvent.objects.filter(action__in=counted)
        .annotate(
            day=TruncDate("at", tzinfo=LOCAL),
            agency_id_=F("dossier__competent_agency_id"),
            receiving_id_=F("dossier__receiving_agency_id"),
            procedure_id_=F("dossier__procedure_id"),
            channel_=F("dossier__channel"),
            **extra,
        )
        .values("day", "agency_id_", "receiving_id_", "procedure_id_", "channel_")
        .annotate(events=Count("id"), **expressions)
        .order_by()
    )
    rows_: list[dict[str, Any]] = list(rows)  # type: ignore[arg-type]
    return [
        {
            "day": row["day"],
            "agency_id": row["agency_id_"],
            "receiving_agency_id": row["receiving_id_"],
            "procedure_id": row["procedure_id_"],
            "channel": row["channel_"],
            **{name: int(row[name] or 0) for name in COUNTERS},
        }
        for row in rows_
    ]


def _clear_counts() -> None:
    """Empty both count tables first, so that writers wait for the rebuild: an event committed before
    it is read by it, one committed after it adds to the rebuilt rows, none is lost or counted twice.
    On PostgreSQL ``TRUNCATE`` (its lock blocks the writers' upserts; no dead rows left behind); elsewhere
    ``DELETE``, which takes SQLite's write lock."""
    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in (DossierDayStat, DossierMonthStat))
        # Rows the caller's transaction wrote to these tables still have deferred foreign-key checks
        # pending, and TRUNCATE refuses to run over them: run the checks now.
        connection.check_constraints()
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {tables}")
    else:
        DossierDayStat.objects.all().delete()
        DossierMonthStat.objects.all().delete()


@transaction.atomic
def stats_rebuild(*, batch_size: int = 5000) -> int:
    """Replace every daily and monthly count by the figures recomputed from the events; returns the
    number of daily rows."""
    _clear_counts()
    rows = stats_from_events()
    DossierDayStat.objects.bulk_create((DossierDayStat(**row) for row in rows), batch_size=batch_size)
    months: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = (
            row["day"].replace(day=1),
            row["agency_id"],
            row["receiving_agency_id"],
            row["procedure_id"],
            row["channel"],
        )
        total = months.setdefault(key, {**row, "day": key[0], **dict.fromkeys(COUNTERS, 0)})
        for name in COUNTERS:
            total[name] += row[name]
    DossierMonthStat.objects.bulk_create((DossierMonthStat(**row) for row in months.values()), batch_size=batch_size)
    return len(rows)
