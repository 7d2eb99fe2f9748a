"""Digitized documents and the personal and organisation data store (DOMAIN.md §3, §8).

A ``DataStore`` belongs to one owner, named by their personal ID number or enterprise code; every
digitized component, issued result, earlier result digitized at the desk and certified copy lands in it as
a ``DigitizedDocument`` with its code, checksum and validity. A later dossier takes a document from the
store instead of a file: the ``DocumentReuse`` row records which and from where.
"""

from __future__ import annotations

import uuid
from typing import Any

from cryptography import x509
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.constants import CODE_MAX_LENGTH, NAME_MAX_LENGTH
from motcua.documents.constants import Origin, OwnerKind, TextLayer

CODE_LENGTH = 160
DOWNLOAD_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


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

    @property
    def signer_name(self) -> str:
        """The common name of the certificate that signed the stored file ("" when unsigned)."""
        if not self.signer_subject:
            return ""
        try:
            name = x509.Name.from_rfc4514_string(self.signer_subject)
        except ValueError:
            return self.signer_subject
        common = name.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(common[0].value) if common else self.signer_subject

    @property
    def download_name(self) -> str:
        """The file's name when downloaded: its code and its type's extension (never the stored random name)."""
        return f"{self.code}.{DOWNLOAD_EXTENSIONS.get(self.content_type, 'pdf')}"


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


class DigitizationFee(models.Model):
    """What a desk charges for digitizing paper on demand (Phí số hóa), per page; the receiving agency's
    own fee, else its nearest parent's, else the deployment's (no agency). Edited by administrators."""

    agency = models.OneToOneField(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="digitization_fee",
        help_text=_("Empty: the fee of every agency that has none of its own."),
    )
    name = models.CharField(_("name"), max_length=255, default="Phí số hóa")
    amount_per_page = models.PositiveIntegerField(_("amount per page (VND)"))
    legal_basis = models.CharField(_("legal basis"), max_length=500, blank=True)
    is_active = models.BooleanField(_("in force"), default=True)

    class Meta:
        verbose_name = _("digitization fee")
        verbose_name_plural = _("digitization fees")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=models.Q(agency__isnull=True, is_active=True),
                name="digitization_fee_one_default",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount_per_page} VND"


class DigitizationCharge(models.Model):
    """The desk scanned paper on demand for a dossier's applicant: pages × the fee in force then, an
    amount due (collected through payments, issue 16). Never changed once written."""

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        related_name="digitization_charges",
    )
    fee_name = models.CharField(_("fee"), max_length=255)
    pages = models.PositiveSmallIntegerField(_("pages"))
    amount_per_page = models.PositiveIntegerField(_("amount per page (VND)"))
    amount = models.PositiveIntegerField(_("amount (VND)"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    charged_at = models.DateTimeField(_("charged at"))
    charged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("charged by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("digitization charge")
        verbose_name_plural = _("digitization charges")
        ordering = ["charged_at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.pages} × {self.amount_per_page} = {self.amount}"


class ShareLink(models.Model):
    """A time-limited link to one stored document, made by its owner (chia sẻ có thời hạn).

    Only the SHA-256 of the token is kept: the link is shown once, when it is made; a copy of the table
    opens nothing. Expired or revoked, the link answers 410 and never serves the file."""

    document = models.ForeignKey(
        DigitizedDocument, verbose_name=_("document"), on_delete=models.CASCADE, related_name="share_links"
    )
    token_digest = models.CharField(_("token (SHA-256)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("share link")
        verbose_name_plural = _("share links")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.expires_at:%Y-%m-%d %H:%M}"

    def is_open(self, at: Any) -> bool:
        """Usable at ``at``: not revoked and not yet expired."""
        return self.revoked_at is None and at < self.expires_at


class CertificationBook(models.Model):
    """Sổ chứng thực bản sao từ bản chính of one certifying agency and year (Nghị định 23/2015/NĐ-CP art. 13;
    Thông tư 01/2020/TT-BTP): volume ``01/<year>-SCT/BS``; ``last`` is its running number, taken with the
    row locked and never reused."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="certification_books"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    volume = models.CharField(_("volume"), max_length=40)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("certification book")
        verbose_name_plural = _("certification books")
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="one_certification_book_a_year")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.volume}"


class Certification(models.Model):
    """One entry of the certification book: a certified electronic copy from an original, its number and fee."""

    book = models.ForeignKey(
        CertificationBook, verbose_name=_("certification book"), on_delete=models.PROTECT, related_name="entries"
    )
    number = models.PositiveIntegerField(_("certification number"))
    dossier = models.OneToOneField(
        "dossiers.Dossier", verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="certification"
    )
    document = models.OneToOneField(
        DigitizedDocument, verbose_name=_("certified copy"), on_delete=models.PROTECT, related_name="certification"
    )
    requester_name = models.CharField(_("requester"), max_length=255)
    requester_id_number = models.CharField(_("personal ID or enterprise code"), max_length=20)
    document_name = models.CharField(_("document certified"), max_length=NAME_MAX_LENGTH)
    pages = models.PositiveIntegerField(_("pages"))
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    fee = models.PositiveBigIntegerField(_("fee (VND)"))
    certifier = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("certifier"), on_delete=models.PROTECT, related_name="+"
    )
    certifier_name = models.CharField(_("certifier's name"), max_length=255)
    certifier_title = models.CharField(_("certifier's title"), max_length=255)
    certified_at = models.DateTimeField(_("certified at"))

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["book", "number"]
        constraints = [models.UniqueConstraint(fields=["book", "number"], name="one_certification_number")]

    def __str__(self) -> str:
        return f"{self.number} {self.book.volume}"
