from __future__ import annotations

import stat
from io import StringIO
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.management import CommandError, call_command

from motcua.signing.ca import demo_ca_ensure, demo_certificate_issue
from motcua.signing.store import ca_cert_path, ca_key_path


def files(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_demo_authority_is_created_once(tmp_path: Path) -> None:
    first = demo_ca_ensure(tmp_path)
    before = files(tmp_path)

    assert demo_ca_ensure(tmp_path) == first == ca_cert_path(tmp_path)
    assert files(tmp_path) == before
    assert set(before) == {"ca/ca.cert.pem", "ca/ca.key.pem"}
    assert mode(ca_key_path(tmp_path)) == 0o600
    cert = x509.load_pem_x509_certificate(first.read_bytes())
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey)
    assert cert.public_key().curve.name == "secp256r1"


def test_a_person_gets_a_p256_signing_certificate_of_the_authority(tmp_path: Path) -> None:
    path = demo_certificate_issue(tmp_path, username="lanh.dao", full_name="Nguyễn Văn Lãnh", organisation="UBND xã A")

    assert path == tmp_path / "lanh.dao.cert.pem"
    assert mode(tmp_path / "lanh.dao.key.pem") == 0o600
    cert = x509.load_pem_x509_certificate(path.read_bytes())
    ca = x509.load_pem_x509_certificate(ca_cert_path(tmp_path).read_bytes())
    cert.verify_directly_issued_by(ca)
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Nguyễn Văn Lãnh"
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "UBND xã A"
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert (usage.digital_signature, usage.content_commitment, usage.key_cert_sign) == (True, True, False)


def test_issuing_again_changes_nothing(tmp_path: Path) -> None:
    demo_certificate_issue(tmp_path, username="lanh.dao", full_name="Nguyễn Văn Lãnh", organisation="UBND xã A")
    before = files(tmp_path)

    demo_certificate_issue(tmp_path, username="lanh.dao", full_name="Nguyễn Văn Lãnh", organisation="UBND xã A")

    assert files(tmp_path) == before


def test_a_certificate_of_a_replaced_authority_is_issued_again(tmp_path: Path) -> None:
    old = demo_certificate_issue(tmp_path, username="lanh.dao", full_name="A", organisation="B").read_bytes()
    ca_cert_path(tmp_path).unlink()  # the authority is recreated with a new key

    new = demo_certificate_issue(tmp_path, username="lanh.dao", full_name="A", organisation="B").read_bytes()

    assert new != old
    ca = x509.load_pem_x509_certificate(ca_cert_path(tmp_path).read_bytes())
    x509.load_pem_x509_certificate(new).verify_directly_issued_by(ca)


def test_a_username_cannot_leave_the_directory(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a usable username"):
        demo_certificate_issue(tmp_path / "d", username="../x", full_name="X", organisation="Y")

    assert not (tmp_path / "x.cert.pem").exists()


def test_setup_command_is_idempotent(settings, tmp_path: Path) -> None:
    settings.MOTCUA_SIGNING_DIR = tmp_path / "signing"
    users = ["--user", "lanh.dao:Nguyễn Văn Lãnh:UBND xã Hòa Bình", "--user", "van.thu"]

    first, second = StringIO(), StringIO()
    call_command("signing_demo_setup", *users, stdout=first)
    created = files(tmp_path / "signing")
    call_command("signing_demo_setup", *users, stdout=second)

    assert first.getvalue().splitlines() == [
        f"Created the demo certificate authority: {tmp_path}/signing/ca/ca.cert.pem",
        f"Issued a certificate to lanh.dao (Nguyễn Văn Lãnh, UBND xã Hòa Bình): {tmp_path}/signing/lanh.dao.cert.pem",
        f"Issued a certificate to van.thu (van.thu, motcua demo): {tmp_path}/signing/van.thu.cert.pem",
    ]
    assert second.getvalue() == ""
    assert files(tmp_path / "signing") == created
    assert set(created) == {
        "ca/ca.cert.pem",
        "ca/ca.key.pem",
        "lanh.dao.cert.pem",
        "lanh.dao.key.pem",
        "van.thu.cert.pem",
        "van.thu.key.pem",
    }


def test_setup_command_refuses_a_bad_username(settings, tmp_path: Path) -> None:
    settings.MOTCUA_SIGNING_DIR = tmp_path / "signing"

    with pytest.raises(CommandError, match="Not a usable username"):
        call_command("signing_demo_setup", "--user", "../../etc/passwd:X")

    assert not (tmp_path / "signing").exists()


def test_setup_command_gives_an_agency_its_own_certificate(settings, tmp_path: Path) -> None:
    settings.MOTCUA_SIGNING_DIR = tmp_path / "signing"
    first, second = StringIO(), StringIO()
    call_command("signing_demo_setup", "--agency", "H49.101:UBND xã Bãi Cháy", stdout=first)
    created = files(tmp_path / "signing")
    call_command("signing_demo_setup", "--agency", "H49.101:UBND xã Bãi Cháy", stdout=second)

    assert first.getvalue().splitlines()[1:] == [
        f"Issued an agency certificate to H49.101 (UBND xã Bãi Cháy): {tmp_path}/signing/agencies/H49.101.cert.pem"
    ]
    assert (second.getvalue(), files(tmp_path / "signing")) == ("", created)
    assert set(created) == {"ca/ca.cert.pem", "ca/ca.key.pem", "agencies/H49.101.cert.pem", "agencies/H49.101.key.pem"}
    assert mode(tmp_path / "signing" / "agencies" / "H49.101.key.pem") == 0o600
    cert = x509.load_pem_x509_certificate(created["agencies/H49.101.cert.pem"])
    assert cert.subject.rfc4514_string() == "CN=UBND xã Bãi Cháy,OU=H49.101,O=UBND xã Bãi Cháy,C=VN"
    ca = x509.load_pem_x509_certificate(created["ca/ca.cert.pem"])
    cert.verify_directly_issued_by(ca)
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "UBND xã Bãi Cháy"


@pytest.mark.parametrize("value", ["../x:Tên", "H49.101", "H49.101:  "])
def test_setup_command_refuses_a_bad_agency(settings, tmp_path: Path, value: str) -> None:
    settings.MOTCUA_SIGNING_DIR = tmp_path / "signing"

    with pytest.raises(CommandError, match="Give an agency as CODE:Agency name"):
        call_command("signing_demo_setup", "--agency", value)

    assert not (tmp_path / "signing").exists()
