from django.db import migrations


def seed(apps, schema_editor):
    from motcua.reports.defaults import seed as seed_defaults

    seed_defaults(apps.get_model("reports", "ScoreGroup"), apps.get_model("reports", "ScoreItem"), apps.get_model("reports", "Target"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
