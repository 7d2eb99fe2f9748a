"""Existing versions keep their meaning: the result text becomes one typed result.

Existing documents need no change: the new requirement defaults to "always" and an empty set of
cases means every case, which is what they meant before cases existed.
"""

from django.db import migrations


def result_text_to_rows(apps, schema_editor):
    ProcedureVersion = apps.get_model("catalog", "ProcedureVersion")
    ResultType = apps.get_model("catalog", "ResultType")
    versions = ProcedureVersion.objects.exclude(result_type="").values_list("pk", "result_type")
    ResultType.objects.bulk_create(
        ResultType(version_id=pk, code="", name=text.strip(), position=0) for pk, text in versions if text.strip()
    )


def rows_to_nothing(apps, schema_editor):
    apps.get_model("catalog", "ResultType").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_cases_and_result_types")]

    operations = [migrations.RunPython(result_text_to_rows, rows_to_nothing)]
