from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("identity", "0002_user_phone_key")]

    operations = [
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(fields=("phone_key",), name="unique_user_phone"),
        ),
    ]
