from django.db import migrations


class Migration(migrations.Migration):
    """The app's first migration: the parts (sync, intake, post) add their tables after it."""

    initial = True
    dependencies: list[tuple[str, str]] = []
    operations: list[migrations.operations.base.Operation] = []
