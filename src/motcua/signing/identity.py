"""Who signed: the identity read from a signing certificate, and what a signer is.

The base of the signing package: ``pades`` (pyHanko), ``provider`` and ``verify`` build on it, and it
imports none of them (an architecture contract keeps the package free of import cycles).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from cryptography import x509
from cryptography.x509.oid import NameOID

from motcua.signing.exceptions import NotAPdf

PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class SignerIdentity:
    common_name: str
    organisation: str
    serial: str  # hexadecimal
    subject: str  # RFC 4514

    @classmethod
    def of(cls, certificate: x509.Certificate) -> SignerIdentity:
        return cls(
            common_name=name_attribute(certificate.subject, NameOID.COMMON_NAME),
            organisation=name_attribute(certificate.subject, NameOID.ORGANIZATION_NAME),
            serial=format(certificate.serial_number, "x"),
            subject=certificate.subject.rfc4514_string(),
        )


class Signer(Protocol):
    identity: SignerIdentity

    def sign(self, pdf: bytes, *, reason: str, location: str, field_name: str = "Signature1") -> bytes:
        """The PDF with one more PAdES signature (an incremental update), in a new field ``field_name``."""
        ...


def ensure_pdf(data: bytes) -> None:
    if not data.startswith(PDF_MAGIC):
        raise NotAPdf()


def name_attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""
