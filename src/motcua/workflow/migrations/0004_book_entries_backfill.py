"""Dossiers received before the tracking book was numbered get their entries, in the order of reception."""

from django.db import migrations


def backfill(apps, schema_editor):
    from motcua.workflow.book_entries import book_entries_backfill

    models = (apps.get_model("dossiers", "Dossier"), apps.get_model("workflow", "BookEntry"), apps.get_model("workflow", "BookVolume"))
    book_entries_backfill(models=models)


class Migration(migrations.Migration):
    dependencies = [("workflow", "0003_book_entries_issued_electronic")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
