"""Settings for the test suite: the real settings, with faster hashing and plain static files."""

import os

os.environ.setdefault("MOTCUA_DEMO", "1")  # the published demo key; production refuses to start without one

from motcua.settings import *  # noqa: F403
from motcua.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The production queue and task path: rows written in the transaction that causes them, run by the
# worker's own claim-and-run once that transaction commits (core/task_queue.py explains when).
TASKS = {
    "default": {
        "BACKEND": "motcua.core.task_queue.DatabaseQueue",
        "OPTIONS": {"RUN_IN_PROCESS_ON_COMMIT": True},
    }
}
MOTCUA_TASKS_IN_TRANSACTION = True
# No test talks to an external service unless it starts that service's fake (fixture fake_service).
MOTCUA_NATIONAL_SYNC_ENABLED = False
# SMS stay in the outbox; fake_service("sms") points the channel at the fake gateway, which posts no
# receipt by itself (a test asks for one).
MOTCUA_SMS_CHANNEL = "motcua.notifications.channels.OutboxSmsChannel"
MOTCUA_SMS_FAKE_RECEIPT_SECONDS = 0.0
MOTCUA_NATIONAL_INTAKE_ENABLED = False  # periodic pulls; the services are called by the tests

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - whitenoise warns when it is missing
