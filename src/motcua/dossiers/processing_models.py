"""What processing adds to a dossier: consultations of other agencies and the result (imported by
dossiers.models). Written only by the workflow services, inside the writer's transaction."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency


class Consultation(models.Model):
    """An inter-agency consultation (lấy ý kiến, liên thông): asked in parallel, each with its deadline."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="consultations"
    )
    agency = models.ForeignKey(Agency, verbose_name=_("consulted agency"), on_delete=models.PROTECT, related_name="+")
    question = models.TextField(_("question"))
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_at = models.DateTimeField(_("answer due at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["requested_at", "id"]
        indexes = [models.Index(fields=["agency", "answered_at", "due_at"], name="consultation_inbox")]

    def __str__(self) -> str:
        return f"{self.dossier_id} → {self.agency_id}"


class Decision(models.TextChoices):
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


def _result_path(instance: Any, filename: str) -> str:
    return f"results/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.pdf"


class DossierResult(models.Model):
    """The decision document: drafted, signed by the leader, numbered and issued by the clerk."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="result"
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    file = models.FileField(_("file"), upload_to=_result_path)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signer_subject = models.CharField(_("certificate subject"), max_length=500, blank=True)
    number = models.CharField(_("result number"), max_length=40, blank=True, db_index=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return self.number or f"{self.dossier_id} ({self.decision})"


class ResultCounter(models.Model):
    """Last result number per issuing province code: KQ.<code>.<6 digits> is never reused."""

    prefix = models.CharField(max_length=20, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix} {self.last}"
