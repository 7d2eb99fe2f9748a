"""SQL written once per process from a model's own fields, for the few statements every dossier runs.

Compiling a query with the ORM costs more Python than everything else a submission or a reception does
(measured with ``bench/intake.py``). The hottest statements (read a dossier with its agencies, insert a
dossier, its documents and its events, update its state) are therefore built here from ``_meta`` once
per model and database vendor, and use the ORM's own value preparation (``pre_save``,
``get_db_prep_save``) and converters (``from_db``): the instances they give and take behave exactly as
the ORM's. Where a model has a field this SQL does not handle, the ORM does the work instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection
from django.db.models import Field, Model

M = TypeVar("M", bound=Model)


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


class Columns:
    """A model's concrete fields as the columns of a table alias, and a slice of a row back into an
    instance, each value converted as the ORM converts it on this database backend."""

    def __init__(self, model: type[Model], alias: str) -> None:
        fields = model._meta.concrete_fields
        self.model = model
        self.sql = ", ".join(f"{alias}.{quote(str(f.column))}" for f in fields)
        self.names = [f.attname for f in fields]
        self.converters: list[tuple[int, list[Any], Any]] = []
        for index, f in enumerate(fields):
            column = f.get_col(alias)
            converters = connection.ops.get_db_converters(column) + f.get_db_converters(connection)
            if converters:
                self.converters.append((index, converters, column))

    def __len__(self) -> int:
        return len(self.names)

    def instance(self, row: Sequence[Any], start: int = 0) -> Any:
        values = list(row[start : start + len(self.names)])
        for index, converters, column in self.converters:
            for convert in converters:
                values[index] = convert(values[index], column, connection)
        return self.model.from_db(DEFAULT_DB_ALIAS, self.names, values)


def _plain(fields: Iterable[Field[Any, Any]]) -> bool:
    """Fields whose value Python gives (no database default, no generated column)."""
    return not any(getattr(f, "generated", False) or f.has_db_default() for f in fields)


@cache
def _insert_sql(model: type[Model], vendor: str) -> tuple[str, str, list[Field[Any, Any]], bool] | None:
    """(start of the INSERT, one row's placeholders, the fields written, whether the database gives the
    id), or None where the ORM must do it."""
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.db_returning]  # an auto id is the database's
    returns_id = meta.pk is not None and meta.pk.db_returning
    if not _plain(fields) or (returns_id and not connection.features.can_return_rows_from_bulk_insert):
        return None
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(str(f.column)) for f in fields)}) VALUES "
    return head, "(" + ", ".join(["%s"] * len(fields)) + ")", fields, returns_id


Statement = tuple[str, list[Any]]  # SQL with %s placeholders, and its parameters


def execute(statements: Sequence[Statement]) -> None:
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


def immutable(model: type[Model]) -> bool:
    """A model whose rows are written once and never updated (``IMMUTABLE = True``, which its ``save()``
    also enforces): ``update_row`` refuses it, ``insert_rows`` only inserts."""
    return bool(getattr(model, "IMMUTABLE", False))


def insert_rows(objs: list[M], *, together: Sequence[Statement] = ()) -> list[M]:
    """Insert new instances of one model in one ``INSERT`` (``RETURNING`` the ids the database gives) as
    ``bulk_create`` does (no ``save()``, no signals), without compiling a query.

    Only new instances: one already saved, or with an id the database was to give, is refused (as an
    immutable model's ``save()`` refuses it), nothing is written.

    ``together``: statements whose results nobody reads (upserts of counts) sent in the same round trip
    where the database allows it (PostgreSQL: data-modifying ``WITH``), else run just before."""
    if not objs:
        execute(together)
        return objs
    model = type(objs[0])
    pk = model._meta.pk
    database_id = pk is not None and pk.db_returning
    for obj in objs:
        if type(obj) is not model or not obj._state.adding or (database_id and obj.pk is not None):
            raise ValueError(f"insert_rows inserts new {model.__name__} rows only, got {obj!r} (pk {obj.pk})")
    built = _insert_sql(model, connection.vendor)
    if built is None:
        execute(together)
        if database_id and not connection.features.can_return_rows_from_bulk_insert:
            # bulk_create would leave the ids unset here; callers read them (the event's task).
            for obj in objs:
                obj.save(force_insert=True)
            return objs
        return model._default_manager.bulk_create(objs)
    head, row, fields, returns_id = built
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for obj in objs for f in fields]
    sql = f"{head}{', '.join([row] * len(objs))}"
    if together and connection.vendor == "postgresql":
        parts = ", ".join(f"together_{i} AS ({statement})" for i, (statement, _params) in enumerate(together))
        sql = f"WITH {parts} {sql}"
        params = [value for _statement, values in together for value in values] + params
    else:
        execute(together)
    with connection.cursor() as cursor:
        if returns_id:
            pk = model._meta.pk
            assert pk is not None
            cursor.execute(f"{sql} RETURNING {quote(str(pk.column))}", params)
            for obj, (value,) in zip(objs, cursor.fetchall(), strict=True):
                obj.pk = value
        else:
            cursor.execute(sql, params)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = DEFAULT_DB_ALIAS
    return objs


@cache
def _update_sql(model: type[Model], names: tuple[str, ...], vendor: str) -> tuple[str, list[Field[Any, Any]]]:
    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    assert all(f.concrete and not f.primary_key for f in fields), names
    pk = meta.pk
    assert pk is not None
    assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in fields)  # type: ignore[union-attr]
    return f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(str(pk.column))} = %s", fields  # type: ignore[return-value]


def update_row(obj: Model, names: Sequence[str]) -> None:
    """``obj.save(update_fields=names)`` without compiling a query: the named fields (``auto_now`` ones
    get the current time), by primary key; an instance whose row is gone is an error, as with save(), and
    so is an immutable model's."""
    if immutable(type(obj)):
        raise ValueError(f"{type(obj).__name__} rows are never updated")
    sql, fields = _update_sql(type(obj), tuple(names), connection.vendor)
    params = [f.get_db_prep_save(f.pre_save(obj, False), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, obj.pk])
        if cursor.rowcount != 1:
            raise DatabaseError(f"{type(obj).__name__} {obj.pk}: the update changed {cursor.rowcount} rows")
