"""The reuse proposal at intake: p95 of ``documents.selectors.reuse_proposals`` for one person with 200
documents, in a data store table of 10,000 and then of 1,000,000 digitized documents (PostgreSQL).

What a user gets: when a citizen opens a submission page (or a desk officer the walk-in form), the page
asks the store for the person's still-valid documents of the types the procedure requires. The person
here holds 200 documents of 20 types (a quarter expired, a third without expiry, several of each type);
the procedure asks for four types (ID card, birth extract, marriage certificate, residence paper), as
the demo's civil-status procedures do. The other owners hold about 10 documents each.

Baseline: the same call at 10,000 documents in the table, in the same run; the ratio (p95 at 1,000,000 ÷
p95 at 10,000) says whether the cost grows with the size of the store. Targets: p95 < 20 ms at
1,000,000 and ratio ≤ 1.3.

The rows are written with ``INSERT … SELECT generate_series`` (about half a minute for a million); the
table is then vacuumed and analysed, as autovacuum would after such a load. The 10,000-document table is
kept as a copy (same indexes) in a schema of its own, and the two sizes are measured call by call in
alternation (``SET search_path`` between calls, outside the timed part), so that the load of this shared
2-core machine weighs on both alike: 400 timed calls each, after 40 warm-up calls.

Database: ``DATABASE_URL`` if set, else the local PostgreSQL (postgres://root@127.0.0.1:5432/postgres);
the bench works in its own ``test_motcua_reuse_<pid>`` database, made by Django's test-database machinery
and dropped at the end, also on errors. It stops by itself (about a minute and a half).

Run from the project root: ``.venv/bin/python bench/reuse.py [--large 1000000] [--calls 400]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

from _django import prefer_local_postgres, setup_django, summary, teardown_django

TARGET_P95_MS = 20.0
TARGET_RATIO = 1.3
SMALL = 10_000
PERSON_DOCUMENTS = 200
DOCUMENTS_PER_OWNER = 10
PERSON = "001190012345"
# 20 document types; the procedure asks for the first four.
TYPES = [
    "CCCD",
    "GKS",
    "GKH",
    "XNCT",
    "GCS",
    "TKKS",
    "GCNQSDD",
    "GPXD",
    "GPLX",
    "HC",
    "BHYT",
    "GXNDT",
    "SHK",
    "GCNDKKD",
    "BTN",
    "GCT",
    "QDTC",
    "GXNHN",
    "HDMB",
    "KHAC",
]
WANTED = TYPES[:4]


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--large", type=int, default=1_000_000, help="documents in the table for the measure")
    parser.add_argument("--calls", type=int, default=400, help="timed calls per measure (at least 200)")
    args = parser.parse_args()
    args.calls = max(args.calls, 200)
    return args


def main() -> None:
    args = arguments()
    if prefer_local_postgres() != "postgresql":
        sys.exit("bench/reuse.py needs PostgreSQL: set DATABASE_URL or start it on 127.0.0.1:5432")
    os.environ["MOTCUA_TEST_DB"] = f"test_motcua_reuse_{os.getpid()}"
    began = time.perf_counter()
    setup_django()
    try:
        print(f"database {os.environ['MOTCUA_TEST_DB']} migrated in {time.perf_counter() - began:.1f} s")
        run(args)
    finally:
        teardown_django()
        print(f"database dropped; {time.perf_counter() - began:.1f} s in all", file=sys.stderr)


def _columns() -> tuple[str, str]:
    """The store tables' names, checked against the models (every column of a document is written)."""
    from motcua.documents.models import DataStore, DigitizedDocument

    written = set(DOCUMENT_COLUMNS)
    model = {f.column for f in DigitizedDocument._meta.concrete_fields} - {"id"}
    assert written == model, f"bench/reuse.py writes {sorted(written ^ model)} differently from the model"
    return DataStore._meta.db_table, DigitizedDocument._meta.db_table


# Each column of a digitized document as an SQL expression of g (the row number) and s (the owner's store
# id); ``%(types)s`` is the array of type codes, ``%(n)s`` its length, ``%%`` a literal percent sign.
DOCUMENT_COLUMNS: dict[str, str] = {
    "store_id": "s",
    "code": "'B.' || g",
    "origin": "CASE WHEN g %% 5 = 0 THEN 'result' ELSE 'component' END",
    "type_code": "(%(types)s)[1 + (g / 7) %% %(n)s]",
    "name": "'Giấy tờ số ' || g",
    "issuer": "''",
    "issued_on": "NULL",
    "valid_until": "CASE WHEN g %% 3 = 0 THEN NULL ELSE current_date + ((g %% 400) - 100) END",
    "file": "'store/00/bench.pdf'",
    "content_type": "'application/pdf'",
    "size": "1000",
    "sha256": "md5(g::text) || md5(g::text)",
    "text_layer": "'not_needed'",
    "signer_subject": "''",
    "digitized_at": "now() - (g %% 700) * interval '1 day'",
    "digitized_by_id": "NULL",
    "dossier_id": "NULL",
    "dossier_document_id": "NULL",
    "result_id": "NULL",
}


def add_documents(cursor: Any, tables: tuple[str, str], *, first: int, last: int, owners: tuple[int, int]) -> None:
    """Documents numbered first..last, spread over the stores with ids owners[0]..owners[1]."""
    documents = tables[1]
    types = "ARRAY[" + ", ".join(f"'{t}'" for t in TYPES) + "]"
    expressions = [expression % {"types": types, "n": len(TYPES)} for expression in DOCUMENT_COLUMNS.values()]
    span = owners[1] - owners[0] + 1
    cursor.execute(
        f"INSERT INTO {documents} ({', '.join(DOCUMENT_COLUMNS)}) "
        f"SELECT {', '.join(expressions)} FROM ("
        f"  SELECT g, {owners[0]} + (g % {span}) AS s FROM generate_series({first}, {last}) g"
        ") AS rows"
    )


def add_owners(cursor: Any, stores: str, count: int, start: int) -> tuple[int, int]:
    """``count`` personal stores; returns their first and last ids."""
    cursor.execute(
        f"INSERT INTO {stores} (owner_id_number, owner_kind, owner_name, created_at) "
        f"SELECT '9' || lpad(g::text, 11, '0'), 'person', 'Chủ kho ' || g, now() "
        f"FROM generate_series({start}, {start + count - 1}) g RETURNING id"
    )
    ids = [row[0] for row in cursor.fetchall()]
    assert ids == list(range(ids[0], ids[0] + count)), "store ids are contiguous"
    return ids[0], ids[-1]


def add_person(cursor: Any, tables: tuple[str, str]) -> None:
    """The person: 200 documents, 10 of each type, a quarter expired, a third without expiry."""
    stores, documents = tables
    cursor.execute(
        f"INSERT INTO {stores} (owner_id_number, owner_kind, owner_name, created_at) "
        "VALUES (%s, 'person', 'Nguyễn Văn Bench', now()) RETURNING id",
        [PERSON],
    )
    store_id = cursor.fetchone()[0]
    types = "ARRAY[" + ", ".join(f"'{t}'" for t in TYPES) + "]"
    cursor.execute(
        f"INSERT INTO {documents} ({', '.join(DOCUMENT_COLUMNS)}) SELECT "
        + ", ".join(
            {
                "store_id": str(store_id),
                "code": f"'{PERSON}.P.' || g",
                "type_code": f"({types})[1 + g % {len(TYPES)}]",
                "valid_until": "CASE WHEN g % 3 = 0 THEN NULL "
                "WHEN g % 4 = 1 THEN current_date - (g % 90) - 1 ELSE current_date + (g % 900) END",
            }.get(column, expression % {"types": types, "n": len(TYPES)})
            for column, expression in DOCUMENT_COLUMNS.items()
        )
        + f" FROM generate_series(1, {PERSON_DOCUMENTS}) g"
    )


def vacuum(table: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {table}")


SMALL_SCHEMA = "reuse_bench_small"


def keep_small_copy(tables: tuple[str, str]) -> None:
    """A copy of the store tables as they are now (10,000 documents), with the same indexes, in a schema of
    its own: the two sizes are then measured call by call in alternation, so that the load of the machine
    weighs on both alike."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {SMALL_SCHEMA}")
        for table in tables:
            cursor.execute(f"CREATE TABLE {SMALL_SCHEMA}.{table} (LIKE public.{table} INCLUDING ALL)")
            cursor.execute(f"INSERT INTO {SMALL_SCHEMA}.{table} SELECT * FROM public.{table}")
            cursor.execute(f"ANALYZE {SMALL_SCHEMA}.{table}")


def use(schema: str) -> None:
    """Resolve the tables' names in ``schema`` first (the small copy), or in public alone."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SET search_path TO {schema}, public" if schema != "public" else "SET search_path TO public")


def measure(calls: int) -> tuple[dict[str, dict[str, float]], dict[str, int]]:
    """p50/p95 (ms) of the proposal for the person in the small copy and in the large table, call by call in
    alternation (the order flips every call), and how many documents each proposes."""
    from django.utils import timezone

    from motcua.documents.selectors import reuse_proposals

    today = timezone.localdate()

    def call() -> int:
        found = reuse_proposals(owner_id_number=PERSON, type_codes=WANTED, on=today)
        return sum(len(rows) for rows in found.values())

    schemas = (SMALL_SCHEMA, "public")
    proposed = {}
    for schema in schemas:
        use(schema)
        for _ in range(40):
            proposed[schema] = call()
    samples: dict[str, list[float]] = {schema: [] for schema in schemas}
    for i in range(calls):
        for schema in schemas if i % 2 else reversed(schemas):
            use(schema)
            start = time.perf_counter()
            call()
            samples[schema].append((time.perf_counter() - start) * 1000)
    use("public")
    return {schema: summary(times) for schema, times in samples.items()}, proposed


def table_size(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return int(cursor.fetchone()[0])


def explain() -> str:
    from django.db import connection
    from django.db.models import Q
    from django.utils import timezone

    from motcua.documents.selectors import owner_documents

    query = (  # the query of ``reuse_proposals``
        owner_documents(PERSON)
        .filter(type_code__in=sorted(WANTED))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=timezone.localdate()))
        .order_by("type_code", "-digitized_at", "-id")
    )
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return " / ".join(row[0].strip() for row in cursor.fetchall()[:8])


def run(args: argparse.Namespace) -> None:
    from django.db import connection, transaction

    tables = _columns()
    stores, documents = tables
    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        add_person(cursor, tables)
        first_owners = (SMALL - PERSON_DOCUMENTS) // DOCUMENTS_PER_OWNER
        owners = add_owners(cursor, stores, first_owners, 1)
        add_documents(cursor, tables, first=1, last=SMALL - PERSON_DOCUMENTS, owners=owners)
    vacuum(documents)
    keep_small_copy(tables)
    use(SMALL_SCHEMA)
    small_size = table_size(documents)
    use("public")
    print(f"{small_size} documents written and copied to schema {SMALL_SCHEMA} in {time.perf_counter() - began:.1f} s")

    began = time.perf_counter()
    more = args.large - small_size
    with transaction.atomic(), connection.cursor() as cursor:
        owners = add_owners(cursor, stores, more // DOCUMENTS_PER_OWNER, first_owners + 1)
        add_documents(cursor, tables, first=SMALL, last=SMALL + more - 1, owners=owners)
    vacuum(documents)
    large_size = table_size(documents)
    print(f"{large_size} documents after {more} more, written and analysed in {time.perf_counter() - began:.1f} s")
    measures, proposed = measure(args.calls)
    small, large = measures[SMALL_SCHEMA], measures["public"]
    assert proposed[SMALL_SCHEMA] == proposed["public"], "the person's proposal does not depend on the others'"
    for size, figures in ((small_size, small), (large_size, large)):
        print(
            f"{size} documents: reuse proposal p50 {figures['p50']} ms, p95 {figures['p95']} ms over {figures['n']}"
            f" calls ({proposed['public']} documents proposed of the person's {PERSON_DOCUMENTS})"
        )
    print(f"plan at {large_size}: {explain()}")
    ratio = large["p95"] / small["p95"]
    met = large["p95"] < TARGET_P95_MS and ratio <= TARGET_RATIO
    print(
        f"p95 {large['p95']} ms at {large_size} (target < {TARGET_P95_MS:.0f} ms), {small['p95']} ms at {small_size}:"
        f" ratio {ratio:.2f} (target ≤ {TARGET_RATIO})"
    )
    print(
        json.dumps(
            {
                "bench": "reuse",
                "value": large["p95"],
                "unit": "ms p95",
                "baseline": small["p95"],
                "ratio": round(ratio, 3),
                "target": TARGET_RATIO,
                "met": met,
                "p95_target_ms": TARGET_P95_MS,
                "documents": large_size,
                "baseline_documents": small_size,
            }
        )
    )


if __name__ == "__main__":
    main()
