"""Check the signatures of a PDF: was it changed since, who signed, and does the signer chain to a trust root.

Anyone holding a signed result may check it (DOMAIN.md §8). Verification is offline: the trust roots are the
local authority's certificate in MOTCUA_SIGNING_DIR plus the files of MOTCUA_SIGNING_TRUST_ROOTS; nothing is
fetched (no OCSP, no CRL, no time-stamp server) and missing revocation data does not fail a signature.
"""

from __future__ import annotations

from pathlib import Path

from cryptography import x509
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from motcua.signing.identity import ensure_pdf
from motcua.signing.signature_report import SignatureReport, VerificationReport
from motcua.signing.store import ca_cert_path, signing_dir

# The largest file the public verification page and API accept.
VERIFY_MAX_BYTES = 20 * 1024 * 1024


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


def _certificates(data: bytes) -> list[x509.Certificate]:
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificates(data)
    return [x509.load_der_x509_certificate(data)]


__all__ = [
    "VERIFY_MAX_BYTES",
    "SignatureReport",
    "VerificationReport",
    "trust_roots",
    "verify_pdf",
]
