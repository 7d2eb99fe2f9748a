# The message templates as data (issue 15, item 5): the texts motcua ships, as rows that administrators
# edit (notifications.default_templates says where they come from).

from django.db import migrations


def seed(apps, schema_editor):
    from motcua.notifications.default_templates import TEMPLATES

    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for kind, channel, subject, body in TEMPLATES:
        MessageTemplate.objects.update_or_create(
            kind=kind, channel=channel, defaults={"subject": subject, "body": body, "active": True}
        )


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0003_message_template_delivery_status"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
