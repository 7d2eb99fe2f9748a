from django.db import migrations


def seed(apps, schema_editor):
    from motcua.reports.defaults import seed_digitization

    seed_digitization(apps.get_model("reports", "ScoreItem"), apps.get_model("reports", "Target"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_digitization_indicators")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
