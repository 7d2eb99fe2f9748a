"""Store each account's phone as login reads it, refusing to continue if two accounts share one.

Choice (issue 12): existing duplicates are not altered or guessed at. If any exist, this migration stops
with the list of accounts concerned; an administrator changes or clears the phones of all but one of
each group (Django admin) and migrates again. The unique key itself is added by the next migration.
"""

from collections import defaultdict

from django.db import migrations, models

from motcua.core.identifiers import normalize_phone


def fill_phone_keys(apps, schema_editor):
    User = apps.get_model("identity", "User")
    by_key = defaultdict(list)
    changed = []
    for user in User.objects.exclude(phone="").only("pk", "username", "phone").order_by("pk").iterator():
        key = normalize_phone(user.phone) or None
        if key is None:
            continue
        by_key[key].append(user.username)
        user.phone_key = key
        changed.append(user)
    shared = {key: names for key, names in by_key.items() if len(names) > 1}
    if shared:
        lines = "\n".join(f"  ...{key[-3:]}: {', '.join(sorted(names))}" for key, names in sorted(shared.items()))
        raise RuntimeError(
            "Several accounts share a phone number, so logging in by phone cannot work for them. "
            "Give each of these accounts its own phone (or clear it) and migrate again:\n" + lines
        )
    User.objects.bulk_update(changed, ["phone_key"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("identity", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="phone_key",
            field=models.CharField(
                blank=True, editable=False, max_length=20, null=True, verbose_name="normalised phone"
            ),
        ),
        migrations.RunPython(fill_phone_keys, migrations.RunPython.noop),
    ]
