"""Targets and the national scorecard's structure, as data edited by administrators (DOMAIN.md §10)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.constants import AgencyLevel
from motcua.agencies.models import Agency
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
