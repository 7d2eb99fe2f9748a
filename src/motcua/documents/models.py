"""Digitized documents and the personal and organisation data store (DOMAIN.md §3, §8).

A ``DataStore`` belongs to one owner, named by their personal ID number or enterprise code; every
digitized component, issued result, earlier result digitized at the desk and certified copy lands in it as
a ``DigitizedDocument`` with its code, checksum and validity. A later dossier takes a document from the
store instead of a file: the ``DocumentReuse`` row records which and from where.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.constants import CODE_MAX_LENGTH, NAME_MAX_LENGTH
from motcua.documents.constants import Origin, OwnerKind, TextLayer

CODE_LENGTH = 160


def _stored_path(instance: Any, filename: str) -> str:
    return f"store/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.pdf"


class DocumentType(models.Model):
    """A kind of paper (ID card, birth extract, …) with how long a digitized copy of it stays usable."""

    code = models.CharField(_("code"), max_length=CODE_MAX_LENGTH, unique=True)
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"), null=True, blank=True, help_text=_("Empty: does not expire.")
    )

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DataStore(models.Model):
    """Kho quản lý dữ liệu điện tử of one person or organisation."""

    owner_id_number = models.CharField(_("personal ID or enterprise code"), max_length=20, unique=True)
    owner_kind = models.CharField(_("owner"), max_length=12, choices=OwnerKind.choices)
    owner_name = models.CharField(_("owner's name"), max_length=255)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("data store")
        verbose_name_plural = _("data stores")

    def __str__(self) -> str:
        return f"{self.owner_name} ({self.owner_id_number})"


class DigitizedCounter(models.Model):
    """Last running suffix per code prefix: a digitized document's code is never reused."""

    prefix = models.CharField(max_length=CODE_LENGTH, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix} {self.last}"


class DigitizedDocument(models.Model):
    """One document in a store: coded, checksummed, with its validity and who digitized it."""

    store = models.ForeignKey(
        DataStore, verbose_name=_("data store"), on_delete=models.PROTECT, related_name="documents"
    )
    code = models.CharField(_("code"), max_length=CODE_LENGTH, unique=True)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    type_code = models.CharField(_("document type code"), max_length=CODE_MAX_LENGTH, blank=True)
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True, help_text=_("Empty: does not expire."))
    file = models.FileField(_("file"), upload_to=_stored_path, max_length=200)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    text_layer = models.CharField(
        _("text recognition"), max_length=12, choices=TextLayer.choices, default=TextLayer.NOT_NEEDED
    )
    # Paper scanned at the desk is signed (PAdES) by the officer who digitized it.
    signer_subject = models.CharField(_("signed by (certificate)"), max_length=500, blank=True)
    digitized_at = models.DateTimeField(_("digitized at"))
    digitized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("digitized by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Where it came from: a dossier's component, its result, or nothing (backfile).
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("dossier"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dossier_document = models.OneToOneField(
        "dossiers.DossierDocument",
        verbose_name=_("dossier document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="digitized",
    )
    result = models.OneToOneField(
        "dossiers.DossierResult",
        verbose_name=_("result"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="digitized",
    )

    class Meta:
        verbose_name = _("digitized document")
        verbose_name_plural = _("digitized documents")
        ordering = ["-digitized_at", "-id"]
        indexes = [
            # The reuse proposal: one owner's documents of some types, still valid (bench/reuse.py).
            models.Index(fields=["store", "type_code", "valid_until"], name="digitized_reuse"),
            # The backfile indicator: documents of one origin digitized in a period (reports.indicators).
            models.Index(fields=["origin", "digitized_at"], name="digitized_origin_at"),
        ]

    def __str__(self) -> str:
        return self.code


class DocumentReuse(models.Model):
    """A dossier's component taken from the data store instead of a file (DOMAIN.md §8)."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="reuses"
    )
    dossier_document = models.OneToOneField(
        "dossiers.DossierDocument", verbose_name=_("dossier document"), on_delete=models.CASCADE, related_name="reuse"
    )
    source = models.ForeignKey(
        DigitizedDocument, verbose_name=_("taken from"), on_delete=models.PROTECT, related_name="reuses"
    )
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("reused document")
        verbose_name_plural = _("reused documents")

    def __str__(self) -> str:
        return f"{self.dossier_id} ← {self.source_id}"
