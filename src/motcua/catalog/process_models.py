"""Internal processes (quy trình nội bộ): per procedure and competent agency, an ordered list of steps.

Versioned like procedures: a published process never changes; a new number replaces it. Imported by
``catalog.models`` so that Django finds the models.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.constants import VersionStatus
from motcua.catalog.exceptions import VersionImmutable
from motcua.core.models import TimeStamped
from motcua.identity.constants import Role


class Process(TimeStamped):
    procedure = models.ForeignKey(
        "catalog.Procedure", verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="processes"
    )
    agency = models.ForeignKey(Agency, verbose_name=_("competent agency"), on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    generated = models.BooleanField(_("generated from the processing time"), default=False)

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["procedure", "agency", "-number"]
        constraints = [models.UniqueConstraint(fields=["procedure", "agency", "number"], name="unique_process_number")]
        indexes = [models.Index(fields=["procedure", "agency", "status"])]

    def __str__(self) -> str:
        return f"{self.procedure_id}/{self.agency_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk and Process.objects.filter(pk=self.pk).exclude(status=VersionStatus.DRAFT).exists():
            allowed = kwargs.get("update_fields")
            if not allowed or not set(allowed) <= {"status", "updated_at"}:
                raise VersionImmutable()
        super().save(*args, **kwargs)


class ProcessStep(models.Model):
    process = models.ForeignKey(Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=255)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # Empty: the desk that received the dossier (desk steps) or the competent agency (other steps).
    unit = models.ForeignKey(
        Agency, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hours = models.DecimalField(_("working hours"), max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["process", "position"]
        constraints = [models.UniqueConstraint(fields=["process", "position"], name="unique_process_step")]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"
