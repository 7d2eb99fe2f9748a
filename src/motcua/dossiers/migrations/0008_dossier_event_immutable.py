"""A dossier event is never updated, whoever writes (the ORM's save(), core.rowsql, raw SQL): a trigger
refuses an UPDATE that changes any column, except the actor or the assignee set to NULL (what deleting
a user does: on_delete=SET_NULL)."""

from django.db import migrations

TABLE = "dossiers_dossierevent"
FIXED = [
    "id",
    "dossier_id",
    "at",
    "action",
    "from_status",
    "to_status",
    "national_status",
    "note",
    "payload",
    "due_at",
    "step",
    "step_due_at",
    "holder_agency_id",
]
NULLABLE = ["actor_id", "assignee_id"]  # may only become NULL
MESSAGE = "dossier events are immutable"


def _changed(distinct: str) -> str:
    fixed = [f"NEW.{c} {distinct} OLD.{c}" for c in FIXED]
    nulled = [f"(NEW.{c} {distinct} OLD.{c} AND NEW.{c} IS NOT NULL)" for c in NULLABLE]
    return " OR ".join(fixed + nulled)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE FUNCTION dossier_event_immutable() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF {_changed('IS DISTINCT FROM')} THEN "
            f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation'; END IF; "
            "RETURN NEW; END $$"
        )
        schema_editor.execute(
            f"CREATE TRIGGER dossier_event_immutable BEFORE UPDATE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION dossier_event_immutable()"
        )
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE TRIGGER dossier_event_immutable BEFORE UPDATE ON {TABLE} "
            f"WHEN {_changed('IS NOT')} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS dossier_event_immutable ON {TABLE}")
        schema_editor.execute("DROP FUNCTION IF EXISTS dossier_event_immutable()")
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS dossier_event_immutable")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0007_dossier_case_and_document_form")]

    operations = [migrations.RunPython(create, drop)]
