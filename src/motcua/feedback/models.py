"""Feedback from the public and the deadline rule of its answer (DOMAIN.md §11).

A feedback's status is written by ``feedback.services`` only (one writer per status, ARCHITECTURE.md)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.core.models import TimeStamped
from motcua.core.working_time import DurationUnit
from motcua.dossiers.models import Dossier
from motcua.feedback.constants import DEFAULT_ANSWER_DAYS, FeedbackChannel, FeedbackStatus, FeedbackSubject

UNIT_CHOICES = [
    (DurationUnit.WORKING_DAYS.value, _("working days")),
    (DurationUnit.WORKING_HOURS.value, _("working hours")),
    (DurationUnit.CALENDAR_DAYS.value, _("calendar days")),
]


class AnswerRule(models.Model):
    """How long a unit has to answer feedback: the deployment's rule (no agency) unless a unit or one of its
    parents has its own. Data, not code: the common rule is 10 working days."""

    agency = models.OneToOneField(
        Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    amount = models.DecimalField(
        _("time to answer"), max_digits=6, decimal_places=2, default=Decimal(DEFAULT_ANSWER_DAYS)
    )
    unit = models.CharField(_("unit"), max_length=20, choices=UNIT_CHOICES, default=DurationUnit.WORKING_DAYS.value)
    source = models.CharField(_("legal source"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("feedback answer rule")
        verbose_name_plural = _("feedback answer rules")
        constraints = [
            models.UniqueConstraint(
                fields=["agency"], condition=models.Q(agency__isnull=True), name="one_deployment_answer_rule"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency or '—'}: {self.amount} {self.get_unit_display()}"


class Feedback(TimeStamped):
    """One feedback (phản ánh, kiến nghị): who sent it, what about, the unit that must answer and by when."""

    code = models.CharField(_("feedback code"), max_length=20, unique=True, editable=False)
    channel = models.CharField(_("received by"), max_length=10, choices=FeedbackChannel.choices)
    subject = models.CharField(_("about"), max_length=10, choices=FeedbackSubject.choices)
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    officer_name = models.CharField(_("officer named by the sender"), max_length=255, blank=True)
    title = models.CharField(_("title"), max_length=255)
    content = models.TextField(_("content"))
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender's account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sender_name = models.CharField(_("sender"), max_length=255)
    sender_phone = models.CharField(_("phone"), max_length=20, blank=True)
    sender_email = models.EmailField(_("e-mail"), blank=True)
    sender_address = models.CharField(_("address"), max_length=255, blank=True)
    consent_to_publish = models.BooleanField(_("the sender agrees to the answer being published"), default=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="feedback"
    )
    received_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("answer due"))
    # One working day before the deadline: the feedback list flags it "at risk" from then, as dossiers are.
    warn_at = models.DateTimeField(_("at risk from"), null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=FeedbackStatus.choices, default=FeedbackStatus.OPEN, editable=False
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    # The random token of the form that sent it: a page sent twice (a double tap) records one feedback.
    form_token = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "status", "due_at"], name="feedback_unit_queue"),
            models.Index(fields=["answered_at"], name="feedback_answered"),
            models.Index(fields=["published_at"], name="feedback_published"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def answered_on_time(self) -> bool | None:
        """None while open; declined feedback counts like an answer (it was handled)."""
        if self.answered_at is None:
            return None
        return self.answered_at <= self.due_at


class FeedbackTransfer(models.Model):
    """A feedback passed from one unit to another (the deadline does not move)."""

    feedback = models.ForeignKey(
        Feedback, verbose_name=_("feedback"), on_delete=models.CASCADE, related_name="transfers"
    )
    from_agency = models.ForeignKey(Agency, verbose_name=_("from"), on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey(Agency, verbose_name=_("to"), on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))
    note = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("feedback transfer")
        verbose_name_plural = _("feedback transfers")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.feedback_id}: {self.from_agency_id} → {self.to_agency_id}"
