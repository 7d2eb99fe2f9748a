from django.db import migrations

from motcua.satisfaction.defaults import seed_criteria


def seed(apps, schema_editor):
    seed_criteria(apps.get_model("satisfaction", "Criterion"))


class Migration(migrations.Migration):
    dependencies = [("satisfaction", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
