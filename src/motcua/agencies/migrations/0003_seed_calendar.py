"""Seed the deployment calendar for 2020-2035 from the `holidays` package, so `migrate` alone gives working due times.

Idempotent; `manage.py seed_calendar` re-runs the same seeding (e.g. after upgrading `holidays`).
"""

from django.db import migrations


def seed(apps, schema_editor):
    from motcua.agencies.calendar import DEFAULT_FIRST_YEAR, DEFAULT_LAST_YEAR, seed_official_days

    seed_official_days(apps.get_model("agencies", "CalendarDay"), first_year=DEFAULT_FIRST_YEAR,
                       last_year=DEFAULT_LAST_YEAR)


class Migration(migrations.Migration):

    dependencies = [
        ("agencies", "0002_calendarday"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
