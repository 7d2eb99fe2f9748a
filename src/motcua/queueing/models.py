"""Service groups of a one-stop desk, its counters, numbered tickets and their numbering (DOMAIN.md §11).

A ticket's status is written by ``queueing.services`` only (one writer per status, ARCHITECTURE.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Desk
from motcua.catalog.models import Sector
from motcua.queueing.constants import TicketStatus


class ServiceGroup(models.Model):
    """What a person queues for at a desk (e.g. "A: Hộ tịch, chứng thực"): its letter prefixes the numbers."""

    desk = models.ForeignKey(Desk, verbose_name=_("desk"), on_delete=models.PROTECT, related_name="service_groups")
    code = models.CharField(_("letter"), max_length=3)
    name = models.CharField(_("name"), max_length=255)
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service group")
        verbose_name_plural = _("service groups")
        ordering = ["desk", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["desk", "code"], name="unique_service_group_code")]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


class Counter(models.Model):
    """One window of the desk (quầy) where an officer calls tickets of the groups it serves."""

    desk = models.ForeignKey(Desk, verbose_name=_("desk"), on_delete=models.PROTECT, related_name="counters")
    number = models.PositiveSmallIntegerField(_("counter number"))
    name = models.CharField(_("name"), max_length=255, blank=True)
    groups = models.ManyToManyField(ServiceGroup, verbose_name=_("service groups"), related_name="counters")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        ordering = ["desk", "number"]
        constraints = [models.UniqueConstraint(fields=["desk", "number"], name="unique_counter_number")]

    def __str__(self) -> str:
        return self.name or str(_("Counter %(number)s") % {"number": self.number})


class TicketSequence(models.Model):
    """The last number issued in a service group on a local day (numbers restart each day)."""

    group = models.ForeignKey(ServiceGroup, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "day"], name="unique_ticket_sequence")]

    def __str__(self) -> str:
        return f"{self.group_id} {self.day}: {self.last}"


class Ticket(models.Model):
    """A numbered ticket: issued at the kiosk, called by a counter, then served or not shown."""

    desk = models.ForeignKey(Desk, verbose_name=_("desk"), on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(ServiceGroup, verbose_name=_("service group"), on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(
        _("status"), max_length=10, choices=TicketStatus.choices, default=TicketStatus.WAITING, editable=False
    )
    issued_at = models.DateTimeField(_("issued at"))
    called_at = models.DateTimeField(_("first called at"), null=True, blank=True)
    announced_at = models.DateTimeField(_("last called at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("served at"), null=True, blank=True)
    # Kept when the times are set, so that averages are integer sums on every database.
    wait_seconds = models.PositiveIntegerField(_("waited (seconds)"), null=True, blank=True)
    service_seconds = models.PositiveIntegerField(_("served in (seconds)"), null=True, blank=True)
    counter = models.ForeignKey(
        Counter, verbose_name=_("counter"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("called by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["day", "issued_at", "id"]
        constraints = [models.UniqueConstraint(fields=["group", "day", "number"], name="unique_ticket_number")]
        indexes = [
            models.Index(fields=["desk", "day", "status"], name="ticket_desk_queue"),
            models.Index(fields=["called_at"], name="ticket_called"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """What the ticket and the display show: the group's letter and a three-digit number ("A007")."""
        return f"{self.group.code}{self.number:03d}"
