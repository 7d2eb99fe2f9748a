"""Dossiers (hồ sơ), their submitted documents and their immutable event timeline (DOMAIN.md §3, §5)."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency, Desk
from motcua.catalog.constants import DocumentForm
from motcua.catalog.models import Procedure, ProcedureVersion, RequiredDocument
from motcua.core.models import TimeStamped
from motcua.dossiers.constants import OPEN_STATUSES, ApplicantType, Channel, NationalStatus, ReturnMethod, Status


class DossierCounter(models.Model):
    """Last number issued per receiving agency and day: codes are consecutive and never reused."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="unique_dossier_counter")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day} {self.last}"


def _document_path(instance: Any, filename: str) -> str:
    # Random names: an upload is never reachable by guessing, and the original name is kept apart.
    return f"dossiers/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}"


class Dossier(TimeStamped):
    code = models.CharField(_("dossier code"), max_length=60, unique=True)
    procedure = models.ForeignKey(Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="+")
    procedure_version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("procedure version"), on_delete=models.PROTECT, related_name="+"
    )
    receiving_agency = models.ForeignKey(
        Agency, verbose_name=_("receiving agency"), on_delete=models.PROTECT, related_name="received_dossiers"
    )
    desk = models.ForeignKey(
        Desk, verbose_name=_("desk"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    competent_agency = models.ForeignKey(
        Agency, verbose_name=_("competent agency"), on_delete=models.PROTECT, related_name="competent_dossiers"
    )
    # The applicant as stated on the dossier (kept even if the account changes later).
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    applicant_type = models.CharField(_("applicant type"), max_length=20, choices=ApplicantType.choices)
    applicant_name = models.CharField(_("applicant name"), max_length=255)
    applicant_id_number = models.CharField(_("personal ID or enterprise code"), max_length=20, db_index=True)
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("e-mail"), blank=True)
    applicant_address = models.CharField(_("address"), max_length=255, blank=True)
    authorised_name = models.CharField(_("authorised submitter"), max_length=255, blank=True)
    authorised_id_number = models.CharField(_("authorised submitter's ID"), max_length=20, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # The channel's own reference: the postal order number of a dossier that came by post.
    channel_reference = models.CharField(_("channel reference"), max_length=40, blank=True, default="")
    return_method = models.CharField(_("return method"), max_length=12, choices=ReturnMethod.choices)
    return_address = models.CharField(_("delivery address"), max_length=255, blank=True)
    form_data = models.JSONField(_("e-form data"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, editable=False)
    national_status = models.PositiveSmallIntegerField(
        _("national status"), choices=NationalStatus.choices, editable=False, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True, db_index=True)
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    pauses = models.JSONField(_("pauses"), default=list, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("result ready at"), null=True, blank=True)
    # Lateness (Nghị định 118/2025): flagged one working day before due; re-dated at most once.
    warn_at = models.DateTimeField(_("at risk from"), null=True, blank=True, editable=False)
    original_due_at = models.DateTimeField(_("original due time"), null=True, blank=True, editable=False)
    # Where the dossier is in its internal process: who holds it and until when (workflow writes these).
    process = models.ForeignKey(
        "catalog.Process", verbose_name=_("process"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    step_position = models.PositiveSmallIntegerField(_("step"), null=True, blank=True, editable=False)
    holder_agency = models.ForeignKey(
        Agency, verbose_name=_("held by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    holder_role = models.CharField(_("held by role"), max_length=20, blank=True, editable=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_dossiers",
    )
    step_started_at = models.DateTimeField(_("step started at"), null=True, blank=True, editable=False)
    step_due_at = models.DateTimeField(_("step due at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, null=True, blank=True, unique=True)
    # SHA-256 of the application first sent with the key: the same key with another one is refused.
    idempotency_fingerprint = models.CharField(_("idempotency fingerprint"), max_length=64, blank=True, default="")
    # The procedure case (trường hợp) the dossier was submitted under, as named then; "" = no cases.
    case_code = models.CharField(_("case code"), max_length=50, blank=True)
    case_name = models.CharField(_("case"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        indexes = [
            models.Index(fields=["receiving_agency", "status"]),
            models.Index(fields=["competent_agency", "status", "id"], name="dossier_competent_status"),
            models.Index(fields=["competent_agency", "id"], name="dossier_competent_newest"),
            # Inboxes: what a unit or a person holds, in the inbox's own order (measured at 1,000,000
            # dossiers: a person's page 6.4 ms → 0.4 ms whatever the size of the unit's pool).
            models.Index(
                fields=["holder_agency", "holder_role", "step_due_at", "due_at", "id"], name="dossier_inbox_unit"
            ),
            models.Index(
                fields=["assignee", "holder_role", "holder_agency", "step_due_at", "due_at", "id"],
                name="dossier_inbox_person",
            ),
            # Reports' open stock (not yet due / overdue, per unit): a few percent of the table, read
            # from this index alone (measured at 1,000,000 dossiers: 95 ms of sequential scan before).
            models.Index(
                fields=["competent_agency", "due_at"],
                include=["status", "received_at", "procedure", "id"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="dossier_open_stock",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class DossierDocument(models.Model):
    """A document given with the dossier: uploaded files, or the original seen at the desk."""

    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="documents")
    required_document = models.ForeignKey(
        RequiredDocument,
        verbose_name=_("required document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=1000)
    file = models.FileField(_("file"), upload_to=_document_path, blank=True)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    original_seen = models.BooleanField(_("original seen at the desk"), default=False)
    # What was actually received: a file (electronic), or paper the desk saw or kept ("" = not a
    # document of the application, e.g. a processing attachment).
    form = models.CharField(_("form received"), max_length=20, choices=DocumentForm.choices, blank=True)
    for_supplement = models.BooleanField(_("given as a supplement"), default=False)
    # Files attached to a processing step (a draft result, a consultation answer), with their event.
    event = models.ForeignKey(
        "DossierEvent", verbose_name=_("event"), null=True, blank=True, on_delete=models.PROTECT, related_name="files"
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("dossier document")
        verbose_name_plural = _("dossier documents")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def reused_code(self) -> str:
        """The data store's code of the document this component was taken from; "" for a file or paper.

        The relation is the documents app's (``DocumentReuse``, related name "reuse"), reached by name:
        dossiers sits below documents. Lists select it with ``REUSE_SOURCE`` to read it without a query."""
        reuse = getattr(self, "reuse", None)  # a missing reverse one-to-one raises an AttributeError
        return str(reuse.source.code) if reuse is not None else ""


# select_related path of a component's reuse and its source (``DossierDocument.reused_code``).
REUSE_SOURCE = "reuse__source"


class DossierEvent(models.Model):
    """One step of the progress log (who, when, what, from which state to which). Never updated."""

    IMMUTABLE: ClassVar[bool] = True  # save() and core.rowsql refuse to update a row

    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from"), max_length=24, blank=True)
    to_status = models.CharField(_("to"), max_length=24)
    national_status = models.PositiveSmallIntegerField(_("national status"))
    note = models.TextField(_("note"), blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)
    due_at = models.DateTimeField(_("due at after the action"), null=True, blank=True)
    step = models.PositiveSmallIntegerField(_("step after the action"), null=True, blank=True)
    step_due_at = models.DateTimeField(_("step due at"), null=True, blank=True)
    holder_agency = models.ForeignKey(
        Agency, verbose_name=_("held by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["dossier", "at"]),
            # The public apologies page lists the newest apologies (issue 17): a small partial index, not a
            # scan of the whole event log.
            models.Index(fields=["-at", "-id"], name="event_apologies", condition=models.Q(action="apologize")),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("dossier events are immutable")
        super().save(*args, **kwargs)


from motcua.dossiers.draft_models import DossierDraft  # noqa: E402,F401
from motcua.dossiers.processing_models import Consultation, DossierResult, ResultCounter  # noqa: E402,F401
from motcua.dossiers.staging_models import StagedUpload  # noqa: E402,F401
