"""Calendar data for working-time arithmetic: days off and make-up working days (DOMAIN.md §6).

The weekday rule (Monday-Friday) needs no rows; a row only records an exception to it. Rows with no
agency make the deployment calendar; a row with an agency overrides that date for the agency and
the agencies below it in the tree.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStamped

__all__ = ["CalendarDay", "CalendarDayKind", "CalendarDaySource", "CalendarVersion"]


class CalendarDayKind(models.TextChoices):
    DAY_OFF = "day_off", _("Day off")
    EXTRA_WORKING_DAY = "extra_working_day", _("Extra working day")


class CalendarDaySource(models.TextChoices):
    SEED = "seed", _("Holiday library")
    ADMIN = "admin", _("Administrator")


class CalendarDay(TimeStamped):
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=CalendarDayKind.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_days",
        help_text=_("Empty for the deployment calendar; set to override the date for one agency and its subtree."),
    )
    # Re-seeding refreshes "seed" rows and never touches a row an administrator has set.
    source = models.CharField(_("source"), max_length=10, choices=CalendarDaySource.choices)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [
            # Two partial constraints: a plain unique (agency, date) lets NULL agencies repeat a date.
            models.UniqueConstraint(
                fields=["date"], condition=Q(agency__isnull=True), name="calendar_day_unique_deployment_date"
            ),
            models.UniqueConstraint(
                fields=["agency", "date"], condition=Q(agency__isnull=False), name="calendar_day_unique_agency_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.kind} {self.name}".strip()


class CalendarVersion(models.Model):
    """One row whose ``stamp`` takes a new random value in the transaction of every write to ``CalendarDay``.

    Each process keeps the calendars it built and reads this row (by primary key) before each due time:
    a changed stamp means another process edited the calendar. A random value, not a counter, so that a
    rolled-back edit's stamp is never reused by a later one.
    """

    SINGLETON = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON, editable=False)
    stamp = models.UUIDField(_("stamp"), default=uuid.uuid4)

    class Meta:
        verbose_name = _("calendar version")
        verbose_name_plural = _("calendar versions")

    def __str__(self) -> str:
        return str(self.stamp)
