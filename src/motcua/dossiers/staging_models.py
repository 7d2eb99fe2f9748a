"""Files chosen on a submission page that came back with errors, kept until the page is sent again
(imported by dossiers.models).

A staged file belongs to one account and one form token (a random value issued with the page), so
nobody else can reach it, and it is deleted once the dossier is created or after a day.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _staged_path(instance: Any, filename: str) -> str:
    # Random names, as for a dossier's documents: never reachable by guessing.
    return f"staged/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}"


class StagedUpload(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(_("form token"), max_length=64)
    # The form field the file was chosen for, e.g. "document_12".
    slot = models.CharField(_("field"), max_length=40)
    file = models.FileField(_("file"), upload_to=_staged_path)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("staged upload")
        verbose_name_plural = _("staged uploads")
        constraints = [models.UniqueConstraint(fields=["owner", "token", "slot"], name="unique_staged_upload")]

    def __str__(self) -> str:
        return f"{self.owner_id} {self.slot} {self.original_name}"
