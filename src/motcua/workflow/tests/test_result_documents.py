"""Real result documents: the procedure's template filled from the e-form, a preview the leader signs, the
number and date written onto the signed PDF by the clerk, and the agency's signature after the leader's
(Nghị định 30/2020/NĐ-CP), checked with pyHanko and with poppler's pdfsig and pdftotext."""

from __future__ import annotations

import json
import shutil
import subprocess
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import pem
from pypdf import PdfReader

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.models import Dossier, DossierResult, ResultCounter
from motcua.signing import SignerUnavailable, demo_agency_certificate_issue, verify_pdf
from motcua.signing.number_fields import number_fields_read
from motcua.workflow.processing import dossier_approve, dossier_forward, dossier_issue_result, dossier_reject
from motcua.workflow.results import PreviewOutdated, form_answers, result_file, result_preview
from tests.intake import birth_application
from motcua.workflow.services import dossier_receive, dossier_submit_online
from tests.processing import process_staff, received_birth_dossier

CATALOG = Path(__file__).resolve().parents[2] / "demo" / "demo_data" / "catalog.json"
BIRTH_FORM = {
    "ho_ten_nguoi_yeu_cau": "Nguyễn Thị Lan",
    "so_dinh_danh_nguoi_yeu_cau": "042190001234",
    "quan_he_voi_tre": "Mẹ",
    "ho_ten_tre": "Trần Gia Bảo",
    "ngay_sinh": "2026-03-01",
    "gioi_tinh": "Nam",
    "dan_toc": "Kinh",
    "quoc_tich": "Việt Nam",
    "noi_sinh": "Bệnh viện Bãi Cháy",
    "ho_ten_me": "Nguyễn Thị Lan",
    "ho_ten_cha": "Trần Văn Minh",
}


def demo_schema(code: str) -> dict[str, Any]:
    catalog = json.loads(CATALOG.read_text(encoding="utf-8"))
    return next(p["form_schema"] for p in catalog["procedures"] if p["code"] == code)


@pytest.fixture
def staff(province, people, settings, tmp_path, monday_morning):
    staff = process_staff(province, settings, tmp_path)
    demo_agency_certificate_issue(settings.MOTCUA_SIGNING_DIR, agency_code="H99.101", agency_name="UBND xã An")
    return staff


@pytest.fixture
def birth(people, staff) -> Dossier:
    """A birth registration with the demo's full e-form, at the leader's step."""
    ProcedureVersion.objects.filter(procedure__code="1.001193").update(form_schema=demo_schema("1.001193"))
    submitted = dossier_submit_online(actor=people["citizen"], application=birth_application(form_data=BIRTH_FORM))
    dossier = dossier_receive(actor=people["desk"], code=submitted.code)
    dossier_forward(actor=people["desk"], code=dossier.code, assignee=people["specialist"])
    return dossier_forward(actor=people["specialist"], code=dossier.code, assignee=staff["leader"])


def page_text(pdf: bytes) -> str:
    """What pypdf extracts from the pages, plus the filled fields' values (the number area)."""
    reader = PdfReader(BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    fields = reader.get_fields() or {}
    return text + "\n" + "\n".join(str(f.get("/V", "")) for f in fields.values())


def pdfsig(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "ket-qua.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout


def test_the_e_form_answers_follow_the_schema_order_with_its_titles(people, staff, birth) -> None:
    answers = [(a.label, a.value) for a in form_answers(birth)]
    assert answers[:4] == [
        ("Họ, chữ đệm, tên người yêu cầu", "Nguyễn Thị Lan"),
        ("Số định danh cá nhân của người yêu cầu", "042190001234"),
        ("Quan hệ với người được khai sinh", "Mẹ"),
        ("Họ, chữ đệm, tên của trẻ", "Trần Gia Bảo"),
    ]
    assert ("Ngày, tháng, năm sinh", "01/03/2026") in answers
    assert len(answers) == len(BIRTH_FORM)


def test_birth_extract_is_signed_numbered_dated_and_sealed(people, staff, birth, tmp_path) -> None:
    leader, clerk = staff["leader"], staff["clerk"]
    preview = result_preview(birth, leader=leader, at=birth.step_started_at)
    preview_text = page_text(preview.pdf())
    for expected in ("TRÍCH LỤC KHAI SINH", "TRẦN GIA BẢO", "01/03/2026", "Bệnh viện Bãi Cháy", "Trần Văn Minh"):
        assert expected in preview_text

    dossier_approve(actor=leader, code=birth.code, assignee=clerk, previewed=preview.digest)
    signed = result_file(DossierResult.objects.get(dossier=birth))
    assert number_fields_read(signed) == {"so_ky_hieu": "", "ngay_ban_hanh": ""}

    dossier_issue_result(actor=clerk, code=birth.code)
    result = DossierResult.objects.get(dossier=birth)
    final = result_file(result)
    assert result.number == "KQ.H99.000001"
    assert final.startswith(signed)  # incremental: the leader's revision is kept byte for byte
    assert number_fields_read(final) == {"so_ky_hieu": "KQ.H99.000001", "ngay_ban_hanh": "09/03/2026"}
    text = page_text(final)
    for expected in ("TRẦN GIA BẢO", "KQ.H99.000001", "09/03/2026"):
        assert expected in text

    report = verify_pdf(final)
    assert [(s.field_name, s.signer_name, s.intact, s.valid) for s in report.signatures] == [
        ("Signature1", "Hoàng Văn Lãnh", True, True),
        ("Signature2", "UBND xã An", True, True),
    ]
    coverage = pyhanko_coverage(final)
    assert coverage[0][0] != "ENTIRE_FILE" and coverage[0][1] == "FORM_FILLING"
    assert coverage[1] == ("ENTIRE_FILE", "NONE")

    assert shutil.which("pdfsig") and shutil.which("pdftotext")
    output = pdfsig(final, tmp_path)
    assert output.count("Signature Validation: Signature is Valid.") == 2, output
    assert "Signer Certificate Common Name: Hoàng Văn Lãnh" in output
    assert "Signer Certificate Common Name: UBND xã An" in output
    shown = subprocess.run(["pdftotext", "-", "-"], input=final, capture_output=True, check=True).stdout.decode()
    assert "KQ.H99.000001" in shown and "09/03/2026" in shown and "TRẦN GIA BẢO" in shown


def pyhanko_coverage(pdf: bytes) -> list[tuple[str, str]]:
    from asn1crypto import x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from motcua.signing.store import ca_cert_path, signing_dir

    root = x509.Certificate.load(pem.unarmor(ca_cert_path(signing_dir()).read_bytes())[2])
    reader = PdfFileReader(BytesIO(pdf))
    statuses = [
        validate_pdf_signature(s, ValidationContext(trust_roots=[root], allow_fetching=False))
        for s in reader.embedded_signatures
    ]
    return [(s.coverage.name, s.modification_level.name) for s in statuses]
