from django.db import migrations

from motcua.feedback.constants import DEFAULT_ANSWER_DAYS


def seed(apps, schema_editor):
    AnswerRule = apps.get_model("feedback", "AnswerRule")
    if not AnswerRule.objects.filter(agency__isnull=True).exists():
        AnswerRule.objects.create(
            agency=None,
            amount=DEFAULT_ANSWER_DAYS,
            unit="working_days",
            source="Thời hạn trả lời phản ánh, kiến nghị thường áp dụng: 10 ngày làm việc",
        )


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
