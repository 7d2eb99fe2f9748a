"""Settings for the test suite: the real settings, with faster hashing and plain static files."""

import os

os.environ.setdefault("MOTCUA_DEMO", "1")  # the published demo key; production refuses to start without one

from motcua.settings import *  # noqa: F403
from motcua.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MOTCUA_TASKS_IN_TRANSACTION = False  # the immediate backend runs tasks at once: only after the commit

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - whitenoise warns when it is missing
