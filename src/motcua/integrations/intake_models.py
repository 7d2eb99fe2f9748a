"""What the province pulls from the national public-service portal: the pulls, the dossiers taken in (or
not, with the reason), and where the next pull starts (DOMAIN.md §12)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PullKind(models.TextChoices):
    CATALOG = "catalog", _("Procedure catalog")
    DOSSIERS = "dossiers", _("Submitted dossiers")


class NationalPull(models.Model):
    """One pull from the national portal, by the periodic job (no actor) or an administrator."""

    kind = models.CharField(_("kind"), max_length=10, choices=PullKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    ok = models.BooleanField(_("succeeded"), default=False)
    error = models.TextField(_("error"), blank=True)
    # Catalog: created, changed, unchanged, pending, failed; dossiers: imported, failed, skipped.
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    # Catalog: the codes of each group and the reasons of failures, for the administrator to review.
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("national portal pull")
        verbose_name_plural = _("national portal pulls")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["kind", "-started_at"], name="national_pull_kind_recent")]

    def __str__(self) -> str:
        return f"{self.kind} {self.started_at:%Y-%m-%d %H:%M}"


class IntakeStatus(models.TextChoices):
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Could not import")


class NationalIntake(models.Model):
    """A dossier submitted on the national portal, known by its national code: imported once into the
    desk's queue (``dossier``), or kept here with the reason it could not be, until it is."""

    national_code = models.CharField(_("national dossier code"), max_length=60, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=IntakeStatus.choices)
    dossier = models.OneToOneField(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="national_intake",
    )
    procedure_code = models.CharField(_("procedure code"), max_length=40, blank=True)
    agency_code = models.CharField(_("agency code"), max_length=40, blank=True)
    applicant_name = models.CharField(_("applicant name"), max_length=255, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # A failure that may pass by itself (the portal's file server was down) is retried by the next pulls.
    retryable = models.BooleanField(_("retried automatically"), default=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The portal's item as received: a failed one is imported again from it (it holds personal data).
    payload = models.JSONField(_("as received"), default=dict)
    first_seen_at = models.DateTimeField(_("first seen at"))
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged to the portal at"), null=True, blank=True)

    class Meta:
        verbose_name = _("dossier from the national portal")
        verbose_name_plural = _("dossiers from the national portal")
        ordering = ["-first_seen_at", "-id"]
        indexes = [models.Index(fields=["status", "-first_seen_at"], name="national_intake_status")]

    def __str__(self) -> str:
        return self.national_code


class NationalCursor(models.Model):
    """Where the next pull of a feed starts: the portal's opaque cursor, kept after each page."""

    name = models.CharField(_("feed"), max_length=40, unique=True)
    value = models.CharField(_("cursor"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("national portal cursor")
        verbose_name_plural = _("national portal cursors")

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"
