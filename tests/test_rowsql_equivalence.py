"""The hand-built SQL of ``core.rowsql`` and its users writes and reads the rows the ORM writes and reads.

Each statement is run next to its ORM equivalent on the same input, and the stored rows are compared
column by column, as the database holds them (raw ``SELECT``: JSON text, datetime text on SQLite) and
as the ORM reads them back. The suite runs on SQLite and again on PostgreSQL (CI), so each vendor's
branch is held to the ORM on its own database; the fallbacks are forced by switching a feature off.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Model, Q
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from motcua.agencies.models import Desk
from motcua.catalog.constants import DocumentForm
from motcua.catalog.models import Procedure
from motcua.catalog.processes import process_ensure
from motcua.core import rowsql
from motcua.core.rowsql import insert_rows, update_row
from motcua.core.task_queue import DatabaseQueue
from motcua.documents.models import DigitizedDocument, DocumentReuse
from motcua.dossiers.models import Dossier, DossierDocument, DossierEvent
from motcua.notifications.tasks import notify_event_task
from motcua.workflow import writer
from motcua.workflow.services import dossier_receive, dossier_receive_at_desk, dossier_submit_online
from tests.digitization import reusable_birth_documents
from tests.factories import make_citizen, make_staff
from tests.intake import HCM, birth_application

pytestmark = pytest.mark.usefixtures("monday_morning")

TOKYO = ZoneInfo("Asia/Tokyo")  # not the deployment's zone: the stored instant must not depend on it
PAYLOAD = {"ghi_chú": "Hồ sơ đủ", "list": [1, 2.5, None, True], "nested": {"z": 1, "a": "ă"}}


def raw_row(model: type[Model], pk: Any) -> dict[str, Any]:
    """The row as the database holds it (no ORM converters)."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        key = model._meta.pk
        assert key is not None
        column = connection.ops.quote_name(str(key.column))
        cursor.execute(f"SELECT * FROM {table} WHERE {column} = %s", [key.get_db_prep_value(pk, connection)])
        names = [column[0] for column in cursor.description]
        row = cursor.fetchone()
    assert row is not None
    return dict(zip(names, row, strict=True))


def orm_row(model: type[Model], pk: Any) -> dict[str, Any]:
    return model._default_manager.filter(pk=pk).values().get()  # type: ignore[no-any-return]


def assert_same_rows(model: type[Model], a: Any, b: Any, *, differ: tuple[str, ...] = ("id",)) -> None:
    """Rows ``a`` and ``b`` equal in every column but ``differ``, raw and as the ORM reads them."""
    for read in (raw_row, orm_row):
        first, second = read(model, a), read(model, b)
        assert set(first) == set(second)
        assert {k: v for k, v in first.items() if k not in differ} == {
            k: v for k, v in second.items() if k not in differ
        }


def unsaved_copy(obj: Model, **changes: Any) -> Any:
    """A new instance with ``obj``'s field values (not its id)."""
    model = type(obj)
    values = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields if not f.primary_key}
    return model(**{**values, **changes})


@pytest.fixture
def people(province: dict[str, Any], catalog: Any) -> dict[str, Any]:
    return {"citizen": make_citizen(), "desk": make_staff("desk_officer", province["commune_a"])}


@pytest.fixture
def dossier(people: dict[str, Any]) -> Dossier:
    return dossier_submit_online(actor=people["citizen"], application=birth_application())


def event_fields(dossier: Dossier, actor: Any) -> dict[str, Any]:
    return {
        "dossier": dossier,
        "at": datetime(2026, 3, 9, 9, 30, 15, 123456, tzinfo=TOKYO),
        "actor": actor,
        "action": "receive",
        "from_status": "submitted",
        "to_status": "received",
        "national_status": 2,
        "note": "Tiếp nhận; 'trích dẫn' và \\ gạch",
        "payload": PAYLOAD,
        "due_at": datetime(2026, 3, 20, 17, 0, tzinfo=TOKYO),
        "step": 1,
        "step_due_at": None,
        "holder_agency_id": dossier.receiving_agency_id,
        "assignee": None,
    }


def test_an_event_inserted_by_rowsql_is_the_row_objects_create_writes(dossier: Dossier, people: Any) -> None:
    fast = insert_rows([DossierEvent(**event_fields(dossier, people["desk"]))])[0]
    orm = DossierEvent.objects.create(**event_fields(dossier, people["desk"]))

    assert isinstance(fast.pk, int) and fast.pk != orm.pk and not fast._state.adding
    assert_same_rows(DossierEvent, fast.pk, orm.pk)
    assert orm_row(DossierEvent, fast.pk)["payload"] == PAYLOAD


def test_several_rows_in_one_insert_get_their_own_ids_in_order(dossier: Dossier, people: Any) -> None:
    events = [DossierEvent(**{**event_fields(dossier, None), "note": str(i)}) for i in range(3)]
    insert_rows(events)

    assert [DossierEvent.objects.get(pk=e.pk).note for e in events] == ["0", "1", "2"]


def test_a_dossier_inserted_by_rowsql_is_the_row_save_writes(dossier: Dossier, monday_morning: Any) -> None:
    monday_morning.shift(timedelta(minutes=5))  # created_at and updated_at: now, on both paths
    fast = insert_rows([unsaved_copy(dossier, code="FAST-1", idempotency_key=None)])[0]
    orm = unsaved_copy(dossier, code="ORM-1", idempotency_key=None)
    orm.save()

    assert_same_rows(Dossier, fast.pk, orm.pk, differ=("id", "code"))
    assert raw_row(Dossier, fast.pk)["created_at"] != raw_row(Dossier, dossier.pk)["created_at"]


def test_documents_inserted_by_rowsql_are_the_rows_bulk_create_writes(dossier: Dossier) -> None:
    originals = list(DossierDocument.objects.filter(dossier=dossier).order_by("pk"))
    assert len(originals) == 2
    fast = insert_rows([unsaved_copy(d) for d in originals])
    orm = DossierDocument.objects.bulk_create([unsaved_copy(d) for d in originals])

    for a, b in zip(fast, orm, strict=True):
        assert_same_rows(DossierDocument, a.pk, b.pk)


def test_the_task_row_is_the_one_django_tasks_db_creates(dossier: Dossier) -> None:
    fixed = uuid.UUID("12345678-1234-5678-1234-567812345678")
    options = {"OPTIONS": {"id_function": lambda: fixed}}
    task: Any = notify_event_task.using(run_after=None)
    fast = DatabaseQueue("default", options)._task_to_db_task(task, (), {"event_id": 7})
    fast_row = raw_row(DBTaskResult, fast.pk)
    DBTaskResult.objects.filter(pk=fast.pk).delete()
    orm = DatabaseBackend("default", options)._task_to_db_task(task, (), {"event_id": 7})

    assert fast.pk == orm.pk == fixed
    assert fast_row == raw_row(DBTaskResult, orm.pk)


def test_update_row_writes_what_save_with_update_fields_writes(dossier: Dossier, monday_morning: Any) -> None:
    fast = Dossier.objects.get(pk=insert_rows([unsaved_copy(dossier, code="FAST-2", idempotency_key=None)])[0].pk)
    orm = Dossier.objects.get(pk=insert_rows([unsaved_copy(dossier, code="ORM-2", idempotency_key=None)])[0].pk)
    monday_morning.shift(timedelta(hours=1))
    names = writer._SAVED_FIELDS
    for obj in (fast, orm):
        obj.status, obj.national_status = "received", 2
        obj.due_at = datetime(2026, 3, 20, 17, 0, tzinfo=TOKYO)
        obj.received_at = datetime(2026, 3, 9, 10, 0, tzinfo=TOKYO)
    update_row(fast, names)
    orm.save(update_fields=names)

    assert_same_rows(Dossier, fast.pk, orm.pk, differ=("id", "code"))
    assert orm_row(Dossier, fast.pk)["updated_at"] == datetime(2026, 3, 9, 10, 0, tzinfo=HCM)


def test_update_row_of_a_row_that_is_gone_is_an_error_as_with_save(dossier: Dossier) -> None:
    copy = insert_rows([unsaved_copy(dossier, code="GONE-1", idempotency_key=None)])[0]
    Dossier.objects.filter(pk=copy.pk).delete()
    copy.status = "received"

    with pytest.raises(DatabaseError, match="changed 0 rows"):
        update_row(copy, ["status"])
    assert not Dossier.objects.filter(code="GONE-1").exists()


def test_an_event_is_never_updated_on_the_fast_path_either(dossier: Dossier) -> None:
    event = DossierEvent.objects.get(dossier=dossier)
    before = raw_row(DossierEvent, event.pk)
    count = DossierEvent.objects.count()
    event.note = "sửa lịch sử"

    with pytest.raises(ValueError, match="never updated"):
        update_row(event, ["note"])
    with pytest.raises(ValueError, match="new DossierEvent rows only"):
        insert_rows([event])  # a saved event
    with pytest.raises(ValueError, match="new DossierEvent rows only"):
        insert_rows([DossierEvent(**{**event_fields(dossier, None), "id": event.pk + 1000})])
    with pytest.raises(ValueError, match="immutable"):
        event.save()
    assert raw_row(DossierEvent, event.pk) == before and DossierEvent.objects.count() == count


@pytest.mark.parametrize("fallback", ["database default", "no RETURNING"])
def test_the_orm_fallbacks_write_the_same_rows_and_give_the_ids(
    dossier: Dossier, people: Any, monkeypatch: pytest.MonkeyPatch, fallback: str
) -> None:
    rowsql._insert_sql.cache_clear()
    if fallback == "database default":  # a field this SQL does not handle: bulk_create does the work
        monkeypatch.setattr(rowsql, "_plain", lambda fields: False)
    else:  # a database without INSERT … RETURNING: save() gives each id
        monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    try:
        assert rowsql._insert_sql(DossierEvent, connection.vendor) is None
        fast = insert_rows([DossierEvent(**event_fields(dossier, people["desk"])) for _ in range(2)])
    finally:
        rowsql._insert_sql.cache_clear()
    orm = DossierEvent.objects.create(**event_fields(dossier, people["desk"]))

    assert all(isinstance(e.pk, int) for e in fast) and fast[0].pk != fast[1].pk
    for event in fast:
        assert_same_rows(DossierEvent, event.pk, orm.pk)


def test_statements_sent_together_run_with_an_insert_and_without_one(dossier: Dossier, people: Any) -> None:
    table = connection.ops.quote_name(Dossier._meta.db_table)
    rename = f"UPDATE {table} SET applicant_name = applicant_name || %s WHERE id = %s"
    insert_rows([DossierEvent(**event_fields(dossier, None))], together=[(rename, [" một", dossier.pk])])
    insert_rows([], together=[(rename, [" hai", dossier.pk])])

    assert Dossier.objects.get(pk=dossier.pk).applicant_name == f"{dossier.applicant_name} một hai"
    assert DossierEvent.objects.filter(dossier=dossier).count() == 2


def test_the_database_refuses_to_update_an_event_whoever_writes(dossier: Dossier, people: Any) -> None:
    """A trigger on both databases (dossiers migration 0008): only the actor or the assignee may become
    NULL (deleting a user)."""
    event = insert_rows([DossierEvent(**event_fields(dossier, people["desk"]))])[0]
    before = raw_row(DossierEvent, event.pk)
    table = connection.ops.quote_name(DossierEvent._meta.db_table)
    for change in (
        lambda: DossierEvent.objects.filter(pk=event.pk).update(note="sửa"),
        lambda: DossierEvent.objects.filter(pk=event.pk).update(payload={}),
        lambda: DossierEvent.objects.filter(pk=event.pk).update(actor=people["citizen"]),
        lambda: connection.cursor().execute(f"UPDATE {table} SET to_status = %s WHERE id = %s", ["returned", event.pk]),
    ):
        with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
            change()
    assert raw_row(DossierEvent, event.pk) == before

    DossierEvent.objects.filter(pk=event.pk).update(actor=None)
    assert raw_row(DossierEvent, event.pk) == {**before, "actor_id": None}


def same_instance(fast: Model, orm: Model) -> None:
    assert type(fast) is type(orm) and not fast._state.adding and fast._state.db == "default"
    for f in type(orm)._meta.concrete_fields:
        assert (f.attname, getattr(fast, f.attname)) == (f.attname, getattr(orm, f.attname))


@pytest.mark.parametrize("by", ["id", "code"])
def test_the_writers_locked_read_gives_the_instances_the_orm_reads(dossier: Dossier, by: str) -> None:
    writer._lock_sql.cache_clear()
    locked = writer._locked(dossier.pk if by == "id" else None, dossier.code, reception=True)
    assert locked is not None
    orm = Dossier.objects.select_related(
        "procedure_version", "receiving_agency", "competent_agency", "holder_agency"
    ).get(pk=dossier.pk)

    same_instance(locked.dossier, orm)
    for name in ("procedure_version", "receiving_agency", "competent_agency"):
        same_instance(getattr(locked.dossier, name), getattr(orm, name))
    assert locked.dossier.holder_agency is orm.holder_agency is None
    assert locked.components == orm_components(dossier) == writer.Components(2, 2, 0, 0)
    assert locked.desk_code == (orm.desk.code if orm.desk is not None else "")
    assert locked.process_in_force is None  # the agency has no process yet
    process = process_ensure(version=orm.procedure_version, agency=orm.competent_agency)
    again = writer._locked(dossier.pk, "", reception=True)
    assert again is not None and again.process_in_force == process.pk
    assert writer._locked(None, "NO-SUCH-CODE", reception=False) is None


def orm_components(dossier: Dossier) -> writer.Components:
    """What the writer's locked read counts of a dossier's components, read through the ORM."""
    given = DossierDocument.objects.filter(dossier=dossier, event__isnull=True)
    return writer.Components(
        given=given.count(),
        digitized=given.filter(~Q(file="") | Q(reuse__isnull=False)).count(),
        reused=DocumentReuse.objects.filter(dossier=dossier).count(),
        given_again=given.filter(required_document__reusable=True, reuse__isnull=True)
        .exclude(required_document__document_type_code="")
        .count(),
    )


def test_the_locked_read_counts_the_components_the_orm_counts(dossier: Dossier, people: Any) -> None:
    """A desk dossier with a document taken from the store, a paper copy kept and a processing attachment
    (not a component)."""
    tkks, gcs = reusable_birth_documents()
    dossier_receive(actor=people["desk"], code=dossier.code)  # its two files land in the store
    stored = DigitizedDocument.objects.get(dossier=dossier, type_code="GCS")
    desk = dossier_receive_at_desk(
        officer=people["desk"],
        applicant=people["citizen"],
        desk_code="H99.101.MC",
        application=birth_application(uploads=[], reused={gcs.pk: stored.code}),
        originals_seen=[],
        papers={tkks.pk: DocumentForm.COPY},
    )
    event = DossierEvent.objects.filter(dossier=desk).order_by("-id").first()
    DossierDocument.objects.create(dossier=desk, name="Dự thảo", file="x/draft.pdf", event=event)
    locked = writer._locked(desk.pk, "", reception=True)
    assert locked is not None
    assert locked.components == orm_components(desk) == writer.Components(2, 1, 1, 1)


@pytest.mark.parametrize(
    ("of", "plain", "suffix"),
    [(True, True, " FOR UPDATE OF d"), (False, True, " FOR UPDATE"), (False, False, "d.id = %s")],
)
def test_the_lock_clause_follows_what_the_database_can_do(
    monkeypatch: pytest.MonkeyPatch, of: bool, plain: bool, suffix: str
) -> None:
    monkeypatch.setattr(connection.features, "has_select_for_update_of", of)
    monkeypatch.setattr(connection.features, "has_select_for_update", plain)
    writer._lock_sql.cache_clear()
    try:
        sql, _parts, _extra = writer._lock_sql(connection.vendor, False, False)
    finally:
        writer._lock_sql.cache_clear()
    assert sql.endswith(suffix)


def test_a_reception_on_the_fast_path_leaves_the_rows_the_orm_reads(dossier: Dossier, people: Any) -> None:
    received = dossier_receive(actor=people["desk"], code=dossier.code)

    orm = Dossier.objects.get(pk=dossier.pk)
    same_instance(received, orm)
    event = DossierEvent.objects.filter(dossier=dossier).order_by("-id").first()
    assert event is not None and (event.action, event.to_status, event.payload) == (
        "receive",
        "received",
        {  # the application's two PDFs; the store was empty
            "digitized": True,
            "components": 2,
            "digitized_components": 2,
            "reused": 0,
            "store_held": 0,
            "asked_again": 0,
        },
    )
    assert (event.due_at, event.step, event.holder_agency_id) == (orm.due_at, orm.step_position, orm.holder_agency_id)


def test_the_intake_read_gives_what_the_orm_reads(dossier: Dossier) -> None:
    from motcua.workflow.services import _offering

    procedure, agency, desk_id = _offering(birth_application())
    orm = Procedure.objects.select_related("current_version").get(code="1.001193")

    same_instance(procedure, orm)
    same_instance(procedure.current_version, orm.current_version)  # type: ignore[arg-type]
    same_instance(agency, dossier.receiving_agency)
    first_desk = Desk.objects.filter(agency=dossier.receiving_agency, is_active=True).order_by("code").first()
    assert desk_id == (first_desk.pk if first_desk else None)
