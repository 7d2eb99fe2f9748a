"""Check the signatures of a PDF: was it changed since, who signed, and does the signer chain to a trust root.

Anyone holding a signed result may check it (DOMAIN.md §8). Verification is offline: the trust roots are the
local authority's certificate in MOTCUA_SIGNING_DIR plus the files of MOTCUA_SIGNING_TRUST_ROOTS; nothing is
fetched (no OCSP, no CRL, no time-stamp server) and missing revocation data does not fail a signature.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from motcua.signing.provider import ensure_pdf
from motcua.signing.store import ca_cert_path, signing_dir

# The largest file the public verification page and API accept.
VERIFY_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class SignatureReport:
    field_name: str
    signer_name: str  # common name of the signing certificate
    signer_organisation: str
    signer_subject: str  # RFC 4514
    issuer_name: str
    signed_at: datetime | None  # as the signer's software stated it (no time-stamp authority); aware
    intact: bool  # the signed bytes are unchanged, and only safe updates (e.g. more signatures) follow them
    trusted: bool  # the signer's certificate chains to a trust root
    valid: bool  # intact, trusted, and the signature itself checks out
    summary: str

    @classmethod
    def unreadable(cls, field_name: str) -> SignatureReport:
        return cls(
            field_name=field_name,
            signer_name="",
            signer_organisation="",
            signer_subject="",
            issuer_name="",
            signed_at=None,
            intact=False,
            trusted=False,
            valid=False,
            summary=_("The signature could not be read."),
        )


@dataclass(frozen=True)
class VerificationReport:
    signatures: list[SignatureReport]

    @property
    def signed(self) -> bool:
        return bool(self.signatures)

    @property
    def all_valid(self) -> bool:
        return self.signed and all(signature.valid for signature in self.signatures)


def verify_pdf(data: bytes) -> VerificationReport:
    """Every signature of the PDF, in document order; ``NotAPdf`` when the bytes are not a readable PDF."""
    ensure_pdf(data)
    from motcua.signing.pades import signatures_check  # pyHanko takes a second to load: only checks pay it

    return VerificationReport(signatures=signatures_check(data, trust_roots()))


def trust_roots() -> list[x509.Certificate]:
    """The local authority (when MOTCUA_SIGNING_DIR holds one) and every certificate of the configured files."""
    local = ca_cert_path(signing_dir())
    paths = [local] if local.is_file() else []
    for name in settings.MOTCUA_SIGNING_TRUST_ROOTS:
        path = Path(name)
        if not path.is_file():
            raise ImproperlyConfigured(f"MOTCUA_SIGNING_TRUST_ROOTS names a missing file: {path}")
        paths.append(path)
    return [certificate for path in paths for certificate in _certificates(path.read_bytes())]


def signature_summary(*, name: str, intact: bool, sound: bool, trusted: bool) -> str:
    """One sentence on a signature; ``sound``: the signature value matches the signer's key."""
    if intact and sound and trusted:
        return _("Valid signature of %(name)s; the document has not been changed since it was signed.") % {"name": name}
    if not intact:
        return _("The document was changed after it was signed, or the signature is damaged.")
    if not sound:
        return _("The signature is not valid.")
    return _("The document is unchanged, but the signer's certificate is not from a trusted authority.")


def _certificates(data: bytes) -> list[x509.Certificate]:
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificates(data)
    return [x509.load_der_x509_certificate(data)]
