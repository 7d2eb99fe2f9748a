"""The agency tree of a province and its one-stop desks (DOMAIN.md §1, §3)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.constants import AgencyLevel
from motcua.core.identifiers import AGENCY_CODE_MAX_LENGTH, validate_agency_code
from motcua.core.models import TimeStamped


class Agency(TimeStamped):
    code = models.CharField(
        _("agency code"), max_length=AGENCY_CODE_MAX_LENGTH, unique=True, validators=[validate_agency_code]
    )
    name = models.CharField(_("name"), max_length=255)
    level = models.CharField(_("level"), max_length=20, choices=AgencyLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of primary keys ("/1/7/42/"): a subtree is one indexed prefix query.
    path = models.CharField(_("tree path"), max_length=255, db_index=True, editable=False, default="")
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["path"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def lineage(self) -> list[int]:
        """Primary keys from the root down to this agency, itself last (read from its materialised path):
        where a setting held per agency is looked for up the tree."""
        return [int(part) for part in self.path.strip("/").split("/") if part] or [self.pk]


class Desk(TimeStamped):
    """A one-stop desk (Bộ phận Một cửa) where dossiers are received and results returned."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="desks")
    code = models.CharField(_("desk code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=255)
    address = models.CharField(_("address"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("one-stop desk")
        verbose_name_plural = _("one-stop desks")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


from motcua.agencies.calendar_models import *  # noqa: E402, F403
