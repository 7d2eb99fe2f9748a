from __future__ import annotations

import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from motcua.signing import (
    NotAPdf,
    SignatureReport,
    Signer,
    SignerIdentity,
    SignerUnavailable,
    demo_certificate_issue,
    has_signer,
    signer_for,
    verify_pdf,
)
from motcua.signing.provider import LocalKeyStore
from motcua.signing.store import ca_cert_path
from motcua.signing.tests.pdfs import COMMUNE, LEADER_NAME, result_pdf, with_page_text

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 3, 9, 9, 0, tzinfo=HCM)


def sign(username: str, pdf: bytes | None = None, field_name: str = "Signature1") -> bytes:
    signer = signer_for(username)
    return signer.sign(pdf or result_pdf(), reason="Phê duyệt kết quả", location="Hòa Bình", field_name=field_name)


def test_a_signed_result_verifies_valid_intact_and_trusted(leader: str) -> None:
    signed = sign(leader)

    report = verify_pdf(signed)

    assert report.signed and report.all_valid
    assert report.signatures == [
        SignatureReport(
            field_name="Signature1",
            signer_name=LEADER_NAME,
            signer_organisation=COMMUNE,
            signer_subject=f"CN={LEADER_NAME},O={COMMUNE},C=VN",
            issuer_name="motcua Demo CA (không dùng cho giao dịch thật)",
            signed_at=NOW,
            intact=True,
            trusted=True,
            valid=True,
            summary=f"Valid signature of {LEADER_NAME}; the document has not been changed since it was signed.",
        )
    ]


def test_the_signature_is_pades(leader: str) -> None:
    signed = sign(leader)

    assert b"/SubFilter /ETSI.CAdES.detached" in signed
    assert signed.startswith(result_pdf())  # an incremental update: the original bytes stay as they were


def test_signer_identity_comes_from_the_certificate(leader: str, signing_dir: Path) -> None:
    identity = signer_for(leader).identity

    assert (identity.common_name, identity.organisation, identity.subject) == (
        LEADER_NAME,
        COMMUNE,
        f"CN={LEADER_NAME},O={COMMUNE},C=VN",
    )
    from cryptography import x509

    cert = x509.load_pem_x509_certificate((signing_dir / "lanh.dao.cert.pem").read_bytes())
    assert identity == SignerIdentity.of(cert)
    assert int(identity.serial, 16) == cert.serial_number


def test_a_flipped_byte_in_the_signed_content_breaks_the_signature(leader: str) -> None:
    signed = bytearray(sign(leader))
    position = signed.index(b"/MediaBox")  # inside the first signed byte range
    signed[position + 1] ^= 0x01  # /MediaBox -> /LediaBox

    [signature] = verify_pdf(bytes(signed)).signatures

    assert (signature.intact, signature.valid) == (False, False)
    assert signature.summary == "The document was changed after it was signed, or the signature is damaged."


def contents_hex(signed: bytes) -> tuple[int, int]:
    """Where the hex digits of the signature container start and where its zero padding begins."""
    start = signed.index(b"/Contents <") + len(b"/Contents <")
    end = signed.index(b">", start)
    return start, start + len(signed[start:end].rstrip(b"0"))


def test_a_forged_signature_value_is_not_valid(leader: str) -> None:
    signed = bytearray(sign(leader))
    _, end = contents_hex(bytes(signed))
    signed[end - 10] = ord("1") if signed[end - 10] != ord("1") else ord("2")  # inside the ECDSA value

    [signature] = verify_pdf(bytes(signed)).signatures

    assert (signature.signer_name, signature.intact, signature.valid) == (LEADER_NAME, True, False)
    assert signature.summary == "The signature is not valid."


@pytest.mark.parametrize("garbage", [b"ff", b"zz"])
def test_a_damaged_signature_container_is_reported_unreadable(leader: str, garbage: bytes) -> None:
    signed = bytearray(sign(leader))
    start, _ = contents_hex(bytes(signed))
    signed[start + 2 : start + 4] = garbage

    report = verify_pdf(bytes(signed))

    assert report.signatures == [SignatureReport.unreadable("Signature1")]
    assert report.signatures[0].summary == "The signature could not be read."
    assert (report.signed, report.all_valid) == (True, False)


def test_page_content_added_after_signing_is_flagged(leader: str) -> None:
    tampered = with_page_text(sign(leader))

    report = verify_pdf(tampered)

    [signature] = report.signatures
    assert (signature.signer_name, signature.intact, signature.trusted, signature.valid) == (
        LEADER_NAME,
        False,
        True,
        False,
    )
    assert not report.all_valid


def test_a_second_signature_keeps_the_first_intact(leader: str, signing_dir: Path) -> None:
    demo_certificate_issue(signing_dir, username="van.thu", full_name="Lê Thị Thư", organisation=COMMUNE)
    twice = sign("van.thu", sign(leader), field_name="Signature2")

    report = verify_pdf(twice)

    assert [(s.field_name, s.signer_name, s.intact, s.trusted, s.valid) for s in report.signatures] == [
        ("Signature1", LEADER_NAME, True, True, True),
        ("Signature2", "Lê Thị Thư", True, True, True),
    ]


def test_a_certificate_from_another_authority_is_intact_but_not_trusted(leader: str, tmp_path: Path, settings) -> None:
    elsewhere = tmp_path / "elsewhere"
    demo_certificate_issue(elsewhere, username="mao.danh", full_name="Mạo Danh", organisation=COMMUNE)
    signed = LocalKeyStore(elsewhere).signer_for("mao.danh").sign(result_pdf(), reason="", location="")

    [signature] = verify_pdf(signed).signatures

    assert (signature.signer_name, signature.intact, signature.trusted, signature.valid) == (
        "Mạo Danh",
        True,
        False,
        False,
    )
    assert signature.summary == (
        "The document is unchanged, but the signer's certificate is not from a trusted authority."
    )

    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(ca_cert_path(elsewhere))]  # now that authority is trusted too
    assert verify_pdf(signed).signatures[0].valid is True


def test_without_any_trust_root_nothing_is_trusted(leader: str, signing_dir: Path) -> None:
    signed = sign(leader)
    ca_cert_path(signing_dir).unlink()

    [signature] = verify_pdf(signed).signatures

    assert (signature.intact, signature.trusted, signature.valid) == (True, False, False)


def test_an_unsigned_pdf_has_no_signatures(signing_dir: Path) -> None:
    report = verify_pdf(result_pdf())

    assert report.signatures == []
    assert (report.signed, report.all_valid) == (False, False)


@pytest.mark.parametrize("data", [b"", b"GIF89a\x00\x01", b"%PDF-1.7\nnot really a pdf", "Xin chào".encode()])
def test_anything_but_a_pdf_is_refused(signing_dir: Path, data: bytes) -> None:
    with pytest.raises(NotAPdf) as refused:
        verify_pdf(data)

    assert (refused.value.code, refused.value.status) == ("not_a_pdf", 400)


def test_signing_anything_but_a_pdf_is_refused(leader: str) -> None:
    with pytest.raises(NotAPdf):
        sign(leader, b"PK\x03\x04 a zip file")


@pytest.mark.parametrize("username", ["khong.co", "../lanh.dao", ".hidden", "", "ca/ca"])
def test_a_person_without_a_certificate_has_no_signer(leader: str, username: str) -> None:
    assert has_signer(username) is False
    with pytest.raises(SignerUnavailable) as refused:
        signer_for(username)

    assert (refused.value.code, refused.value.status) == ("signer_unavailable", 409)
    assert has_signer(leader) is True


def test_the_provider_comes_from_the_settings(leader: str, settings) -> None:
    settings.MOTCUA_SIGNING_PROVIDER = "motcua.signing.tests.test_sign_and_verify.NobodySigns"

    assert has_signer(leader) is False
    with pytest.raises(SignerUnavailable):
        signer_for(leader)


class NobodySigns:
    def has_signer(self, username: str) -> bool:
        return False

    def signer_for(self, username: str) -> Signer:
        raise SignerUnavailable()


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="pdfsig (poppler-utils) is not installed")
def test_poppler_pdfsig_accepts_the_signature(leader: str, tmp_path: Path) -> None:
    signed, tampered = tmp_path / "signed.pdf", tmp_path / "tampered.pdf"
    signed.write_bytes(sign(leader))
    data = bytearray(signed.read_bytes())
    data[data.index(b"/MediaBox") + 1] ^= 0x01
    tampered.write_bytes(bytes(data))

    def pdfsig(path: Path) -> str:
        return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False, timeout=60).stdout

    good, bad = pdfsig(signed), pdfsig(tampered)

    assert f"Signer Certificate Common Name: {LEADER_NAME}" in good
    assert "Signature Type: ETSI.CAdES.detached" in good
    assert "Signature Validation: Signature is Valid." in good
    assert "Total document signed" in good
    assert "Signature Validation: Signature is Valid." not in bad


def test_a_file_already_signed_in_the_wanted_field_gets_the_next_free_one(leader: str, signing_dir: Path) -> None:
    """A sector system's result often carries its own Signature1: our signature goes next to it."""
    demo_certificate_issue(signing_dir, username="van.thu", full_name="Lê Thị Thư", organisation=COMMUNE)
    twice = sign("van.thu", sign(leader), field_name="Signature1")

    report = verify_pdf(twice)

    assert [(s.field_name, s.signer_name, s.intact, s.valid) for s in report.signatures] == [
        ("Signature1", LEADER_NAME, True, True),
        ("Signature2", "Lê Thị Thư", True, True),
    ]
