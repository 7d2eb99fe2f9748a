from django.db import migrations

from motcua.satisfaction.constants import DEFAULT_CRITERIA


def seed(apps, schema_editor):
    Criterion = apps.get_model("satisfaction", "Criterion")
    for position, (code, name) in enumerate(DEFAULT_CRITERIA):
        Criterion.objects.get_or_create(code=code, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("satisfaction", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
