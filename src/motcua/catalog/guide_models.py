"""The catalog administrators' own words added to a procedure's online submission guide (issue 17, item 5).

Everything else in the guide is generated from the published version, so it cannot drift from the notice;
only what the data cannot say (a local tip, where to get help) is typed here. Imported by ``catalog.models``
so that Django finds the model.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GUIDE_TEXT_MAX_LENGTH = 4000


class OnlineGuide(models.Model):
    procedure = models.OneToOneField(
        "catalog.Procedure", verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="online_guide"
    )
    intro = models.TextField(
        _("introduction"),
        max_length=GUIDE_TEXT_MAX_LENGTH,
        blank=True,
        help_text=_("Shown above the steps of the guide."),
    )
    notes = models.TextField(
        _("notes"),
        max_length=GUIDE_TEXT_MAX_LENGTH,
        blank=True,
        help_text=_("Shown after the steps: local tips, where to get help."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("online submission guide")
        verbose_name_plural = _("online submission guides")
        ordering = ["procedure__code"]

    def __str__(self) -> str:
        return str(self.procedure_id)
