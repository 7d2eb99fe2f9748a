"""The public catalog of administrative procedures (DOMAIN.md §4).

A procedure keeps its national code; its content lives in versions. A published version never
changes: dossiers point at the exact version they were submitted under.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.constants import (
    CODE_MAX_LENGTH,
    LEGACY_ONLINE_LEVEL,
    NAME_MAX_LENGTH,
    DocumentForm,
    FeeMoment,
    OnlineMode,
    Requirement,
    TimeUnit,
    VersionStatus,
)
from motcua.catalog.exceptions import VersionImmutable
from motcua.core.identifiers import validate_procedure_code
from motcua.core.models import TimeStamped


class Sector(models.Model):
    code = models.CharField(_("code"), max_length=CODE_MAX_LENGTH, unique=True)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(TimeStamped):
    code = models.CharField(_("national code"), max_length=20, unique=True, validators=[validate_procedure_code])
    current_version = models.ForeignKey(
        "ProcedureVersion",
        verbose_name=_("published version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Denormalised from the published version, so the public list and search read one table.
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH, blank=True)
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), null=True, blank=True, on_delete=models.PROTECT, related_name="procedures"
    )
    online_mode = models.CharField(_("online mode"), max_length=10, choices=OnlineMode.choices, blank=True)
    levels = models.JSONField(_("implementing levels"), default=list, blank=True)
    name_key = models.CharField(_("search name"), max_length=NAME_MAX_LENGTH, blank=True, db_index=True, editable=False)
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    agencies = models.ManyToManyField(
        Agency, verbose_name=_("offered by"), through="Offering", related_name="procedures"
    )

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["name_key"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Offering(models.Model):
    """An agency that implements a procedure (and will run its own internal process for it)."""

    procedure = models.ForeignKey(Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE)
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        constraints = [models.UniqueConstraint(fields=["procedure", "agency"], name="unique_offering")]

    def __str__(self) -> str:
        return f"{self.procedure_id} @ {self.agency_id}"


class ProcedureVersion(TimeStamped):
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    sector = models.ForeignKey(Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="+")
    levels = models.JSONField(_("implementing levels"), default=list)
    online_mode = models.CharField(_("online mode"), max_length=10, choices=OnlineMode.choices)
    time_amount = models.DecimalField(_("processing time"), max_digits=7, decimal_places=2, null=True, blank=True)
    time_unit = models.CharField(_("time unit"), max_length=20, choices=TimeUnit.choices)
    cutoff = models.TimeField(_("cut-off time"), null=True, blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    # The result in words, as the notice prints it; the typed results are ``result_types``.
    result_type = models.CharField(_("result"), max_length=NAME_MAX_LENGTH, blank=True)
    description = models.TextField(_("description"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    authorised_submission = models.BooleanField(_("authorised submission allowed"), default=True)
    postal = models.BooleanField(_("postal submission and return"), default=False)
    digital_signature_required = models.BooleanField(_("result digitally signed"), default=False)
    form_schema = models.JSONField(_("e-form schema"), default=dict, blank=True)

    class Meta:
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        ordering = ["procedure", "-number"]
        constraints = [models.UniqueConstraint(fields=["procedure", "number"], name="unique_procedure_version")]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}"

    @property
    def legacy_online_level(self) -> int:
        return LEGACY_ONLINE_LEVEL[OnlineMode(self.online_mode)]

    def time_for_case(self, case: ProcedureCase | None) -> tuple[Decimal | None, str]:
        """The legal time to decide a dossier of this case: the case's own where it has one, else the
        version's (DOMAIN.md §4: each case has its own time limit)."""
        return case.effective_time() if case is not None else (self.time_amount, self.time_unit)

    def case_named(self, code: str) -> ProcedureCase | None:
        """This version's case with that code (one query; the intake hot path reads cached parts)."""
        return self.cases.filter(code=code).first() if code else None

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The one place the rule can be enforced for every writer, admin included.
        if self.pk and ProcedureVersion.objects.filter(pk=self.pk).exclude(status=VersionStatus.DRAFT).exists():
            allowed = kwargs.get("update_fields")
            if not allowed or not set(allowed) <= {"status", "updated_at"}:
                raise VersionImmutable()
        super().save(*args, **kwargs)


class _VersionPart(models.Model):
    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._check_draft()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self._check_draft()
        return super().delete(*args, **kwargs)

    def _check_draft(self) -> None:
        status = ProcedureVersion.objects.filter(pk=self.version_id).values_list("status", flat=True).first()
        if status is not None and status != VersionStatus.DRAFT:
            raise VersionImmutable()


class ProcedureCase(_VersionPart):
    """A case (trường hợp) of a procedure: its own documents, time, fees and online mode.

    Blank time or online mode means the version's. A version without cases has one implicit case.
    """

    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("procedure version"), on_delete=models.CASCADE, related_name="cases"
    )
    code = models.SlugField(_("code"), max_length=CODE_MAX_LENGTH)
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    time_amount = models.DecimalField(_("processing time"), max_digits=7, decimal_places=2, null=True, blank=True)
    time_unit = models.CharField(_("time unit"), max_length=20, choices=TimeUnit.choices, blank=True)
    online_mode = models.CharField(_("online mode"), max_length=10, choices=OnlineMode.choices, blank=True)
    description = models.TextField(_("description"), blank=True)
    # {"field": "<e-form property>", "equals": <value>}: the e-form answers choose this case.
    selector = models.JSONField(_("chosen when the e-form answers"), default=dict, blank=True)

    class Meta(_VersionPart.Meta):
        verbose_name = _("procedure case")
        verbose_name_plural = _("procedure cases")
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_case_code")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        problem = _answer_test_problem(self.selector, self.version if self.version_id else None)
        if problem:
            raise ValidationError({"selector": problem})

    def effective_time(self) -> tuple[Decimal | None, str]:
        if self.time_unit:
            return self.time_amount, self.time_unit
        return self.version.time_amount, self.version.time_unit

    def effective_online_mode(self) -> str:
        return self.online_mode or self.version.online_mode


class RequiredDocument(_VersionPart):
    version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("procedure version"),
        on_delete=models.CASCADE,
        related_name="required_documents",
    )
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    requirement = models.CharField(
        _("requirement"), max_length=20, choices=Requirement.choices, default=Requirement.ALWAYS
    )
    condition_label = models.CharField(_("condition (as shown)"), max_length=NAME_MAX_LENGTH, blank=True)
    # {"field": "<e-form property>", "equals": <value>}; empty: the applicant or the desk ticks the label.
    condition = models.JSONField(_("condition on the e-form"), default=dict, blank=True)
    group = models.CharField(_("one-of group"), max_length=CODE_MAX_LENGTH, blank=True)
    cases = models.ManyToManyField(
        ProcedureCase,
        verbose_name=_("cases"),
        blank=True,
        related_name="documents",
        help_text=_("Leave empty when the document applies to every case."),
    )
    form = models.CharField(_("form"), max_length=20, choices=DocumentForm.choices, default=DocumentForm.ORIGINAL)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    document_type_code = models.CharField(_("document type code"), max_length=CODE_MAX_LENGTH, blank=True)
    reusable = models.BooleanField(_("can be taken from the data store"), default=False)
    note = models.TextField(_("note"), blank=True)
    template = models.FileField(_("template file"), upload_to="catalog/templates/%Y/", blank=True)

    class Meta(_VersionPart.Meta):
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The same rules as the exchange format, field by field (groups are checked on publishing)."""
        errors: dict[str, Any] = {}
        conditional = self.requirement == Requirement.CONDITIONAL
        if conditional and not self.condition_label:
            errors["condition_label"] = _("A conditional document needs its condition in words.")
        if not conditional and (self.condition or self.condition_label):
            errors["requirement"] = _("Only a conditional document has a condition.")
        if (self.requirement == Requirement.ONE_OF) != bool(self.group):
            errors["group"] = _("A “one of” document needs a group, and only it has one.")
        problem = _answer_test_problem(self.condition, self.version if self.version_id else None)
        if problem:
            errors["condition"] = problem
        if errors:
            raise ValidationError(errors)


class Fee(_VersionPart):
    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("procedure version"), on_delete=models.CASCADE, related_name="fees"
    )
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    amount = models.PositiveBigIntegerField(_("amount (VND)"), default=0)
    note = models.TextField(_("note"), blank=True)
    cases = models.ManyToManyField(
        ProcedureCase,
        verbose_name=_("cases"),
        blank=True,
        related_name="fees",
        help_text=_("Leave empty when the fee applies to every case."),
    )
    collected_at = models.CharField(
        _("collected"), max_length=20, choices=FeeMoment.choices, default=FeeMoment.RECEPTION
    )
    exemptions = models.TextField(_("exemptions"), blank=True)

    class Meta(_VersionPart.Meta):
        verbose_name = _("fee or charge")
        verbose_name_plural = _("fees and charges")

    def __str__(self) -> str:
        return f"{self.name}: {self.amount:,} VND"


class ResultType(_VersionPart):
    """A kind of result document the procedure issues, with how long it stays valid."""

    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("procedure version"), on_delete=models.CASCADE, related_name="result_types"
    )
    code = models.CharField(_("code"), max_length=CODE_MAX_LENGTH, blank=True)
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"), null=True, blank=True, help_text=_("Empty: does not expire.")
    )

    class Meta(_VersionPart.Meta):
        verbose_name = _("result type")
        verbose_name_plural = _("result types")

    def __str__(self) -> str:
        return self.name


def _answer_test_problem(test: Any, version: ProcedureVersion | None) -> Any:
    """What is wrong with a condition or selector ``{"field": …, "equals": …}``, or None."""
    if not test:
        return None
    if not isinstance(test, dict) or set(test) != {"field", "equals"}:
        return _('Write it as {"field": "…", "equals": …}, or leave it empty.')
    if version is not None and test["field"] not in (version.form_schema.get("properties") or {}):
        return _("“%(field)s” is not a field of the e-form.") % {"field": test["field"]}
    return None


@receiver(m2m_changed, sender=RequiredDocument.cases.through)
@receiver(m2m_changed, sender=Fee.cases.through)
def _cases_of_published_version_are_fixed(
    sender: Any, instance: Any, action: str, model: Any, pk_set: set[int] | None, **kwargs: Any
) -> None:
    """Which cases a document or fee belongs to is part of the version: fixed once published.

    Checked from both ends: ``document.cases.add(case)`` and ``case.documents.add(document)``.
    """
    if action not in {"pre_add", "pre_remove", "pre_clear"}:
        return
    instance._check_draft()
    others = model.objects.filter(pk__in=pk_set or ()).exclude(version__status=VersionStatus.DRAFT)
    if others.exists():
        raise VersionImmutable()


from motcua.catalog.guide_models import OnlineGuide  # noqa: E402,F401
from motcua.catalog.process_models import Process, ProcessStep  # noqa: E402,F401
