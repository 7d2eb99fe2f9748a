"""Targets and the national scorecard's structure, as data edited by administrators (DOMAIN.md §10)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.agencies.constants import AgencyLevel
from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure, Sector
from motcua.reports.constants import Comparator, IndicatorKey


class Target(models.Model):
    """A yearly target for one indicator: for every unit, for one level (commune...), or for one agency.
    The most specific one applies (agency, then level, then all)."""

    year = models.PositiveSmallIntegerField(_("year"))
    indicator = models.CharField(_("indicator"), max_length=40, choices=IndicatorKey.choices)
    level = models.CharField(_("level"), max_length=20, choices=AgencyLevel.choices, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comparator = models.CharField(
        _("comparison"), max_length=3, choices=Comparator.choices, default=Comparator.AT_LEAST
    )
    value = models.DecimalField(_("target value"), max_digits=10, decimal_places=2)
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["year", "indicator", "level"]
        constraints = [
            models.UniqueConstraint(fields=["year", "indicator", "level", "agency"], name="unique_target"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.indicator} {self.comparator} {self.value}"


class ScoreGroup(models.Model):
    """A group of the national scorecard (Quyết định 766/QĐ-TTg) with its maximum points."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=255)
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=2)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("scorecard group")
        verbose_name_plural = _("scorecard groups")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class ScoreItem(models.Model):
    """A sub-indicator of a group: its points, the indicator that measures it (empty: not measured yet),
    and the share that earns full points (empty: points in proportion to the share)."""

    group = models.ForeignKey(ScoreGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    indicator = models.CharField(_("measured by"), max_length=40, blank=True)
    full_at = models.DecimalField(_("full points from (%)"), max_digits=6, decimal_places=2, null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("scorecard item")
        verbose_name_plural = _("scorecard items")
        ordering = ["group", "position"]

    def __str__(self) -> str:
        return self.name


class ReportExport(models.Model):
    """An export of the indicators over a long period, built by a task: who asked for which scope,
    how far it got, and the file once done (stored under a random name, downloaded by its requester)."""

    class Format(models.TextChoices):
        XLSX = "xlsx", _("Excel workbook (XLSX)")
        PDF = "pdf", _("PDF report")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="+"
    )
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="+")
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    status = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.start}–{self.end} {self.format} {self.status}"

    @property
    def finished(self) -> bool:
        return self.status in (self.State.DONE, self.State.FAILED)
