"""A citizen's unfinished online application, kept between visits (imported by dossiers.models).

Only typed values are kept: files cannot be held without a dossier, so they are attached again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.dossiers.constants import ReturnMethod


class DossierDraft(models.Model):
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant account"),
        on_delete=models.CASCADE,
        related_name="dossier_drafts",
    )
    procedure = models.ForeignKey(Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Raw values as typed, keyed by the e-form's field names; checked only when the dossier is submitted.
    form_data = models.JSONField(_("e-form data"), default=dict, blank=True)
    return_method = models.CharField(_("return method"), max_length=12, choices=ReturnMethod.choices, blank=True)
    return_address = models.CharField(_("delivery address"), max_length=255, blank=True)
    updated_at = models.DateTimeField(_("saved at"), auto_now=True)

    class Meta:
        verbose_name = _("dossier draft")
        verbose_name_plural = _("dossier drafts")
        constraints = [models.UniqueConstraint(fields=["applicant", "procedure"], name="unique_dossier_draft")]

    def __str__(self) -> str:
        return f"{self.applicant_id} {self.procedure_id}"
