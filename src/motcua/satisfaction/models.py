"""Satisfaction ratings, their criteria (data), and the daily counts the reports read (DOMAIN.md §11)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency, Desk
from motcua.dossiers.models import Dossier
from motcua.satisfaction.constants import Level, RatingChannel


class Criterion(models.Model):
    """What the applicant rates besides the overall level (attitude, time, clarity...): data, not code."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=255)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("satisfaction criterion")
        verbose_name_plural = _("satisfaction criteria")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class Rating(models.Model):
    """The applicant's rating of one dossier: one per dossier (the unique dossier makes a second refused,
    also when two taps race). Attributed to the dossier's competent agency (the unit), its desk and the desk
    officer who received it."""

    dossier = models.OneToOneField(Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("overall"), max_length=20, choices=Level.choices)
    scores = models.JSONField(_("per criterion"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    channel = models.CharField(_("rated"), max_length=10, choices=RatingChannel.choices)
    agency = models.ForeignKey(Agency, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    desk = models.ForeignKey(
        Desk, verbose_name=_("desk"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("desk officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tablet of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rated_at = models.DateTimeField(_("rated at"))

    class Meta:
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        ordering = ["-rated_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "rated_at"], name="rating_unit_time"),
            models.Index(fields=["officer", "rated_at"], name="rating_officer_time"),
            models.Index(fields=["desk", "rated_at"], name="rating_desk_time"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.level}"


class SatisfactionDayStat(models.Model):
    """Ratings per unit and local day of rating, kept by ``satisfaction.services`` in the rating's
    transaction: the public statistics and the dashboard sum these rows, never the ratings."""

    agency = models.ForeignKey(Agency, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    very_satisfied = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    not_satisfied = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("ratings of a day")
        verbose_name_plural = _("ratings per day")
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="unique_satisfaction_day")]
        indexes = [models.Index(fields=["day"], name="satisfaction_day")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}"
