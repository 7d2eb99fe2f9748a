# The satisfaction rating link in the result's messages (issue 17): the "result delivered" kind and its
# templates, and the rating invitation in the result-ready e-mail where administrators left it as shipped.

from django.db import migrations, models


def seed(apps, schema_editor):
    from motcua.notifications.default_templates import RATING_TEMPLATES, TEMPLATES

    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    shipped = {(kind, channel): (subject, body) for kind, channel, subject, body in TEMPLATES}
    for kind, channel, subject, body in RATING_TEMPLATES:
        row = MessageTemplate.objects.filter(kind=kind, channel=channel).first()
        if row is None:
            MessageTemplate.objects.create(kind=kind, channel=channel, subject=subject, body=body, active=True)
        elif (row.subject, row.body) == shipped.get((kind, channel)):  # an administrator's edit is kept
            row.subject, row.body = subject, body
            row.save(update_fields=["subject", "body"])


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_seed_message_templates"),
    ]

    operations = [
        migrations.AlterField(
            model_name="messagetemplate",
            name="kind",
            field=models.CharField(
                choices=[
                    ("submitted", "Registered online"),
                    ("received", "Received"),
                    ("refused", "Not received"),
                    ("supplement_requested", "Documents to complete"),
                    ("withdrawn", "Withdrawn"),
                    ("payment_requested", "Payment due"),
                    ("stopped", "Processing stopped"),
                    ("apology", "Apology and new due date"),
                    ("result_ready", "Result ready"),
                    ("result_returned", "Result delivered"),
                ],
                max_length=32,
                verbose_name="kind",
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
