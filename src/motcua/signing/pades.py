"""PAdES with pyHanko: sign a PDF with a key held in memory, and check the signatures a PDF carries.

Imported only when a PDF is signed or checked: pyHanko takes about a second to load.
Signatures are PAdES baseline B-B (ETSI.CAdES.detached, SHA-256); nothing is fetched from the network.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import TypeVar

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from django.utils import translation
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import SigSeedSubFilter, enumerate_sig_fields
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from motcua.signing.exceptions import NotAPdf, SignerUnavailable
from motcua.signing.identity import SignerIdentity, ensure_pdf, name_attribute
from motcua.signing.signature_report import SignatureReport, signature_summary

T = TypeVar("T")

# Updates after a signature that leave what was signed alone: more signatures, form filling, time stamps.
SAFE_UPDATES = {ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING}

# A signing certificate must allow signing; issuers set one bit, the other, or both.
KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)

# What a damaged or foreign signature makes pyHanko raise.
UNREADABLE = (SignatureValidationError, SigningError, PdfError, ValueError, KeyError, TypeError)


class PadesSigner:
    """Signs in the name of the certificate's holder (implements ``provider.Signer``)."""

    def __init__(self, signer: signers.SimpleSigner) -> None:
        assert signer.signing_cert is not None
        self._signer = signer
        self.identity = SignerIdentity.of(x509.load_der_x509_certificate(signer.signing_cert.dump()))

    @classmethod
    def load(cls, *, key_file: Path, cert_file: Path, chain_files: list[Path]) -> PadesSigner:
        signer = signers.SimpleSigner.load(
            key_file=str(key_file), cert_file=str(cert_file), ca_chain_files=[str(f) for f in chain_files] or None
        )
        if signer is None:  # pyHanko logs why (unreadable key or certificate)
            raise SignerUnavailable()
        return cls(signer)

    def sign(self, pdf: bytes, *, reason: str, location: str, field_name: str = "Signature1") -> bytes:
        ensure_pdf(pdf)
        try:
            writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
        except (PdfError, ValueError, KeyError) as exc:
            raise NotAPdf() from exc
        meta = signers.PdfSignatureMetadata(
            field_name=_free_field_name(writer, field_name),
            reason=reason,
            location=location,
            subfilter=SigSeedSubFilter.PADES,
            md_algorithm="sha256",
        )
        signed: bytes = outside_event_loop(
            lambda: signers.PdfSigner(meta, signer=self._signer).sign_pdf(writer).getvalue()
        )
        return signed


def _free_field_name(writer: IncrementalPdfFileWriter, wanted: str) -> str:
    """``wanted``, or when a signature already fills it (a sector system's signed file), the first free
    ``SignatureN``: signing never fails because of a name."""
    try:
        filled = {name for name, _value, _field in enumerate_sig_fields(writer.prev, filled_status=True)}
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise NotAPdf() from exc
    if wanted not in filled:
        return wanted
    return next(f"Signature{n}" for n in range(1, len(filled) + 2) if f"Signature{n}" not in filled)


def outside_event_loop(work: Callable[[], T]) -> T:
    """Run pyHanko's synchronous entry points, which call ``asyncio.run``, also from a thread that already
    runs an event loop (an async view, a browser test): there, in a short-lived thread of their own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    language = translation.get_language()  # thread-local: the summaries speak the caller's language

    def in_language() -> T:
        with translation.override(language):
            return work()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(in_language).result()


def signatures_check(data: bytes, roots: list[x509.Certificate]) -> list[SignatureReport]:
    """One report per signature of the PDF in signing order, then the unreadable ones; time stamps left out."""
    return outside_event_loop(lambda: _signatures_check(data, roots))


def _signatures_check(data: bytes, roots: list[x509.Certificate]) -> list[SignatureReport]:
    asn1_roots = [asn1_x509.Certificate.load(root.public_bytes(Encoding.DER)) for root in roots]
    readable, unreadable = _embedded(data)
    return [_check(signature, asn1_roots) for signature in readable] + [
        SignatureReport.unreadable(name) for name in unreadable
    ]


def _embedded(data: bytes) -> tuple[list[EmbeddedPdfSignature], list[str]]:
    """The signatures pyHanko can parse, and the names of the fields whose signature is damaged."""
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        fields = list(enumerate_sig_fields(reader, filled_status=True))
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise NotAPdf() from exc
    readable: list[EmbeddedPdfSignature] = []
    unreadable: list[str] = []
    for name, value, field in fields:
        try:
            if value.get_object().get("/Type") == "/DocTimeStamp":
                continue
            signature = EmbeddedPdfSignature(reader, field, name)
            _ = signature.signed_revision
        except UNREADABLE:
            unreadable.append(name)
        else:
            readable.append(signature)
    return sorted(readable, key=lambda signature: signature.signed_revision), unreadable


def _check(signature: EmbeddedPdfSignature, roots: list[asn1_x509.Certificate]) -> SignatureReport:
    # A fresh context per signature: offline, and revocation data is used when embedded, never required.
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = validate_pdf_signature(signature, context, key_usage_settings=KEY_USAGE)
    except UNREADABLE:
        return SignatureReport.unreadable(signature.field_name)
    certificate = x509.load_der_x509_certificate(status.signing_cert.dump())
    signer = SignerIdentity.of(certificate)
    intact = status.intact and _unchanged_since(status)
    trusted = status.validation_path is not None and status.trust_problem_indic is None
    valid = intact and trusted and status.valid
    return SignatureReport(
        field_name=signature.field_name,
        signer_name=signer.common_name,
        signer_organisation=signer.organisation,
        signer_subject=signer.subject,
        issuer_name=name_attribute(certificate.issuer, NameOID.COMMON_NAME) or certificate.issuer.rfc4514_string(),
        signed_at=_aware(status.signer_reported_dt),
        intact=intact,
        trusted=trusted,
        valid=valid,
        summary=signature_summary(name=signer.common_name, intact=intact, sound=status.valid, trusted=trusted),
    )


def _unchanged_since(status: PdfSignatureStatus) -> bool:
    """The signature covers the whole file, or only safe incremental updates follow it."""
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    return (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and bool(status.docmdp_ok)
        and status.modification_level in SAFE_UPDATES
    )


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment
