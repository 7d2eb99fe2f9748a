"""A local demo certificate authority: EC P-256 keys and X.509 certificates for signing result PDFs.

For demonstrations and tests only. A real deployment signs with certificates from a licensed provider of
public digital signature certification services (Luật Giao dịch điện tử số 20/2023/QH15, Nghị định 23/2025/NĐ-CP) and
lists that provider's root in MOTCUA_SIGNING_TRUST_ROOTS; this authority's certificates carry "demo" in
their names so that nobody mistakes them for real ones.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from motcua.signing.store import (
    agency_cert_path,
    agency_key_path,
    ca_cert_path,
    ca_key_path,
    cert_path,
    key_path,
    write_private,
    write_public,
)

CA_NAME = "motcua Demo CA (không dùng cho giao dịch thật)"
CA_ORGANISATION = "motcua demo"
CA_YEARS = 20
PERSON_YEARS = 5
# Certificates start a day early, so that a clock a little behind still accepts them.
BACKDATE = timedelta(days=1)


def demo_ca_ensure(directory: Path) -> Path:
    """Create the demo authority's key and self-signed certificate once; return the certificate's path."""
    cert_file = ca_cert_path(directory)
    if cert_file.exists() and ca_key_path(directory).exists():
        return cert_file
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, CA_ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME),
        ]
    )
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(now + timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    write_private(ca_key_path(directory), _key_pem(key))
    write_public(cert_file, cert.public_bytes(serialization.Encoding.PEM))
    return cert_file


def demo_certificate_issue(directory: Path, *, username: str, full_name: str, organisation: str) -> Path:
    """Give a person a key and a signing certificate from the demo authority; return the certificate's path.

    Idempotent: a person who already holds a certificate of the current authority keeps it.
    """
    return _issue(
        directory,
        cert_file=cert_path(directory, username),
        key_file=key_path(directory, username),
        common_name=full_name,
        organisation=organisation,
    )


def demo_agency_certificate_issue(directory: Path, *, agency_code: str, agency_name: str) -> Path:
    """Give an agency its own (organisation) key and certificate from the demo authority, with which the
    clerk seals the results the agency issues (Nghị định 30/2020/NĐ-CP: the agency's digital signature).

    The certificate names the agency as common name and organisation, and carries its code as the
    organisational unit. Idempotent, like ``demo_certificate_issue``.
    """
    return _issue(
        directory,
        cert_file=agency_cert_path(directory, agency_code),
        key_file=agency_key_path(directory, agency_code),
        common_name=agency_name,
        organisation=agency_name,
        unit=agency_code,
    )


def _issue(
    directory: Path, *, cert_file: Path, key_file: Path, common_name: str, organisation: str, unit: str = ""
) -> Path:
    ca_file = demo_ca_ensure(directory)
    ca_cert = x509.load_pem_x509_certificate(ca_file.read_bytes())
    ca_key = serialization.load_pem_private_key(ca_key_path(directory).read_bytes(), password=None)
    assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
    if cert_file.exists() and key_file.exists() and _issued_by(cert_file, ca_cert):
        return cert_file
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        *([x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit)] if unit else []),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ]
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attributes))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(min(now + timedelta(days=365 * PERSON_YEARS), ca_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    write_private(key_file, _key_pem(key))
    write_public(cert_file, cert.public_bytes(serialization.Encoding.PEM))
    return cert_file


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,  # non-repudiation: what a signature on a decision needs
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _issued_by(cert_file: Path, ca_cert: x509.Certificate) -> bool:
    cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    try:
        cert.verify_directly_issued_by(ca_cert)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True
