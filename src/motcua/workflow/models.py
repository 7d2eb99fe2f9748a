"""Daily counts of dossier events per agency, procedure and channel: what reports read instead of
scanning dossiers. Kept current by the workflow writer in the event's own transaction, and rebuilt from
the event log by ``workflow.stats.stats_rebuild`` (the two must always agree: a test checks it)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.dossiers.constants import Channel

# The counters, in the order of the table's columns.
COUNTERS = (
    "submitted",
    "received",
    "digitized",
    "refused",
    "supplements",
    "withdrawn",
    "stopped",
    "finished_early",
    "finished_on_time",
    "finished_late",
    "returned",
    "returned_electronic",
    "apologies",
    "issued_electronic",
    "reused",
    "store_held",
    "not_asked_again",
    "certification_finished",
    "certified_ecopies",
    "crossed",
    "crossed_electronic",
)


class _DossierStat(models.Model):
    day = models.DateField(_("day"))
    agency = models.ForeignKey(Agency, verbose_name=_("competent agency"), on_delete=models.CASCADE, related_name="+")
    receiving_agency = models.ForeignKey(
        Agency, verbose_name=_("receiving agency"), on_delete=models.CASCADE, related_name="+"
    )
    procedure = models.ForeignKey(Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    submitted = models.PositiveIntegerField(_("submitted"), default=0)
    received = models.PositiveIntegerField(_("received"), default=0)
    # Received with every component digitized: a file, or a document taken from the data store.
    digitized = models.PositiveIntegerField(_("received with every component digitized"), default=0)
    refused = models.PositiveIntegerField(_("refused"), default=0)
    supplements = models.PositiveIntegerField(_("supplement requests"), default=0)
    withdrawn = models.PositiveIntegerField(_("withdrawn"), default=0)
    stopped = models.PositiveIntegerField(_("stopped"), default=0)
    finished_early = models.PositiveIntegerField(_("finished early"), default=0)
    finished_on_time = models.PositiveIntegerField(_("finished on time"), default=0)
    finished_late = models.PositiveIntegerField(_("finished late"), default=0)
    returned = models.PositiveIntegerField(_("results returned"), default=0)
    returned_electronic = models.PositiveIntegerField(_("results returned electronically"), default=0)
    apologies = models.PositiveIntegerField(_("apology letters"), default=0)
    # Results issued as a signed electronic document (the "e-result" indicator of QĐ 766/QĐ-TTg).
    issued_electronic = models.PositiveIntegerField(_("results issued electronically"), default=0)
    # Digitization (issue 14), from the payloads the writer records on reception and on issue
    # (``workflow.stats.stat_deltas``; docs/digitization.md "Indicators").
    reused = models.PositiveIntegerField(_("received with a document taken from the data store"), default=0)
    store_held = models.PositiveIntegerField(_("received while the data store held a required document"), default=0)
    not_asked_again = models.PositiveIntegerField(
        _("received taking every held document from the data store"), default=0
    )
    certification_finished = models.PositiveIntegerField(_("certification results issued"), default=0)
    certified_ecopies = models.PositiveIntegerField(_("certified electronic copies issued"), default=0)
    crossed = models.PositiveIntegerField(_("results issued of dossiers that crossed agencies"), default=0)
    crossed_electronic = models.PositiveIntegerField(
        _("results issued of dossiers that crossed agencies electronically"), default=0
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id} {self.procedure_id} {self.channel}"


class DossierDayStat(_DossierStat):
    class Meta:
        verbose_name = _("daily dossier count")
        verbose_name_plural = _("daily dossier counts")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "agency", "receiving_agency", "procedure", "channel"], name="unique_dossier_day_stat"
            )
        ]
        indexes = [models.Index(fields=["agency", "day"]), models.Index(fields=["receiving_agency", "day"])]


class DossierMonthStat(_DossierStat):
    """The same counts per calendar month (``day`` is the month's first day): long periods read a few
    rows per unit and procedure instead of one per day."""

    class Meta:
        verbose_name = _("monthly dossier count")
        verbose_name_plural = _("monthly dossier counts")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "agency", "receiving_agency", "procedure", "channel"], name="unique_dossier_month_stat"
            )
        ]
        indexes = [models.Index(fields=["day", "agency"], name="month_stat_day_agency")]


class BookVolume(models.Model):
    """One volume of the dossier tracking book (Sổ theo dõi hồ sơ): a desk's book for a year, or the
    receiving agency's when the dossier was received without a desk (online). ``last`` is the last
    entry number given; entries are numbered 1, 2, ... in the order of reception."""

    volume = models.CharField(_("volume"), max_length=60, unique=True)
    last = models.PositiveIntegerField(_("last entry"), default=0)

    class Meta:
        verbose_name = _("tracking book volume")
        verbose_name_plural = _("tracking book volumes")

    def __str__(self) -> str:
        return self.volume


class BookEntry(models.Model):
    """Where a received dossier stands in the tracking book: written once at reception, so every
    reprint of the receipt gives the same volume and entry number."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="book_entry"
    )
    volume = models.CharField(_("volume"), max_length=60)
    number = models.PositiveIntegerField(_("entry number"))

    class Meta:
        verbose_name = _("tracking book entry")
        verbose_name_plural = _("tracking book entries")
        constraints = [models.UniqueConstraint(fields=["volume", "number"], name="unique_book_entry")]

    def __str__(self) -> str:
        return f"{self.volume} #{self.number}"


from motcua.workflow.idempotency_models import ActionKey  # noqa: E402,F401
