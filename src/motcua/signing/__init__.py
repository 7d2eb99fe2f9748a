"""Digital signatures on result PDFs (PAdES, with pyHanko): who may sign, signing, and public verification.

pyHanko itself is loaded only when a PDF is signed or checked (see ``pades``).
"""

from motcua.signing.ca import demo_agency_certificate_issue, demo_ca_ensure, demo_certificate_issue
from motcua.signing.exceptions import NotAPdf, SignerUnavailable
from motcua.signing.provider import (
    Signer,
    SignerIdentity,
    agency_signer_for,
    has_agency_signer,
    has_signer,
    signer_for,
)
from motcua.signing.verify import SignatureReport, VerificationReport, verify_pdf

__all__ = [
    "NotAPdf",
    "SignatureReport",
    "Signer",
    "SignerIdentity",
    "SignerUnavailable",
    "VerificationReport",
    "agency_signer_for",
    "demo_agency_certificate_issue",
    "demo_ca_ensure",
    "demo_certificate_issue",
    "has_agency_signer",
    "has_signer",
    "signer_for",
    "verify_pdf",
]
