"""Real result documents: the procedure's template filled from the e-form, a preview the leader signs, the
number and date written onto the signed PDF by the clerk, and the agency's signature after the leader's
(Nghị định 30/2020/NĐ-CP), checked with pyHanko and with poppler's pdfsig and pdftotext."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage

from motcua.catalog.models import ProcedureVersion
from motcua.core.schema_forms import with_property_order
from motcua.dossiers.models import Dossier, DossierResult, ResultCounter
from motcua.signing import SignerUnavailable, demo_agency_certificate_issue, verify_pdf
from motcua.signing.number_fields import number_fields_read
from motcua.signing.store import ca_cert_path, signing_dir
from motcua.workflow.processing import dossier_approve, dossier_forward, dossier_issue_result, dossier_reject
from motcua.workflow.results import PreviewOutdated, form_answers, result_file, result_preview
from motcua.workflow.services import dossier_receive, dossier_submit_online
from tests.intake import birth_application
from tests.processing import process_staff
from tests.results import page_text, pdfsig, pyhanko_coverage, shown_text

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
    # As an import stores it: with the properties' order, which PostgreSQL's jsonb would otherwise sort.
    return with_property_order(next(p["form_schema"] for p in catalog["procedures"] if p["code"] == code))


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


def test_birth_extract_is_signed_numbered_dated_and_sealed(
    people, staff, birth, tmp_path, monday_morning, django_capture_on_commit_callbacks
) -> None:
    leader, clerk = staff["leader"], staff["clerk"]
    preview = result_preview(birth, leader=leader, at=birth.step_started_at)
    preview_text = page_text(preview.pdf())
    for expected in ("TRÍCH LỤC KHAI SINH", "TRẦN GIA BẢO", "01/03/2026", "Bệnh viện Bãi Cháy", "Trần Văn Minh"):
        assert expected in preview_text

    dossier_approve(actor=leader, code=birth.code, assignee=clerk, previewed=preview.digest)
    signed = result_file(DossierResult.objects.get(dossier=birth))
    assert number_fields_read(signed) == {"so_ky_hieu": "", "ngay_ban_hanh": ""}

    assert "10/03/2026" not in page_text(signed)
    monday_morning.shift(timedelta(days=1))  # the clerk issues it the next day: that date is the document's
    leader_copy = DossierResult.objects.get(dossier=birth).file.name
    with django_capture_on_commit_callbacks(execute=True):
        dossier_issue_result(actor=clerk, code=birth.code)
    result = DossierResult.objects.get(dossier=birth)
    final = result_file(result)
    assert not default_storage.exists(leader_copy) and result.file.name != leader_copy
    assert result.number == "KQ.H99.000001"
    assert final.startswith(signed)  # incremental: the leader's revision is kept byte for byte
    assert number_fields_read(final) == {"so_ky_hieu": "KQ.H99.000001", "ngay_ban_hanh": "10/03/2026"}
    text = page_text(final)
    for expected in ("TRẦN GIA BẢO", "KQ.H99.000001", "10/03/2026"):
        assert expected in text

    report = verify_pdf(final)
    assert [(s.field_name, s.signer_name, s.intact, s.valid) for s in report.signatures] == [
        ("Signature1", "Hoàng Văn Lãnh", True, True),
        ("Signature2", "UBND xã An", True, True),
    ]
    assert pyhanko_coverage(final, ca_cert_path(signing_dir())) == [
        ("ENTIRE_REVISION", "FORM_FILLING", True, True),  # not the whole file, but only permitted changes follow
        ("ENTIRE_FILE", "NONE", True, True),
    ]

    assert shutil.which("pdfsig") and shutil.which("pdftotext")
    output = pdfsig(final, tmp_path)
    assert output.count("Signature Validation: Signature is Valid.") == 2, output
    assert "Signer Certificate Common Name: Hoàng Văn Lãnh" in output
    assert "Signer Certificate Common Name: UBND xã An" in output
    shown = shown_text(final)
    assert "KQ.H99.000001" in shown and "10/03/2026" in shown and "TRẦN GIA BẢO" in shown


# --- a second procedure's template, the generic fallback ------------------------------------------------------

DEATH_FORM = {
    "ho_ten_nguoi_yeu_cau": "Lê Văn Hùng",
    "so_dinh_danh_nguoi_yeu_cau": "042190001234",
    "quan_he_voi_nguoi_chet": "Con",
    "ho_ten_nguoi_chet": "Lê Văn Tư",
    "ngay_sinh_nguoi_chet": "1940-05-02",
    "gioi_tinh": "Nam",
    "ngay_chet": "2026-03-05",
    "gio_chet": "14:30",
    "noi_chet": "Tại nhà, thôn Đông, xã An",
}


def import_procedure(code: str, name: str, schema: dict[str, Any]) -> None:
    from motcua.catalog.constants import CATALOG_FORMAT
    from motcua.catalog.services import catalog_import

    procedure = {
        "code": code,
        "name": name,
        "sector": "HOTICH",
        "levels": ["commune"],
        "online_mode": "full",
        "processing_time": {"amount": "3", "unit": "working_days"},
        "result_type": "Kết quả của thủ tục",
        "form_schema": schema,
        "agencies": ["H99.101"],
    }
    document = {"format": CATALOG_FORMAT, "sectors": [{"code": "HOTICH", "name": "Hộ tịch"}], "procedures": [procedure]}
    catalog_import(actor=None, document=document)


def at_the_leader(people: dict[str, Any], staff: dict[str, Any], code: str, form: dict[str, Any]) -> Dossier:
    application = birth_application(procedure_code=code, form_data=form, uploads=[])
    submitted = dossier_submit_online(actor=people["citizen"], application=application)
    dossier = dossier_receive(actor=people["desk"], code=submitted.code)
    dossier_forward(actor=people["desk"], code=dossier.code, assignee=people["specialist"])
    return dossier_forward(actor=people["specialist"], code=dossier.code, assignee=staff["leader"])


def approve_and_issue(staff: dict[str, Any], dossier: Dossier) -> bytes:
    preview = result_preview(dossier, leader=staff["leader"], at=dossier.step_started_at)
    dossier_approve(actor=staff["leader"], code=dossier.code, assignee=staff["clerk"], previewed=preview.digest)
    dossier_issue_result(actor=staff["clerk"], code=dossier.code)
    return result_file(DossierResult.objects.get(dossier=dossier))


def test_death_extract_from_its_own_template(people, staff, tmp_path) -> None:
    import_procedure("1.000656", "Thủ tục đăng ký khai tử", demo_schema("1.000656"))
    final = approve_and_issue(staff, at_the_leader(people, staff, "1.000656", DEATH_FORM))
    text = page_text(final)
    for expected in ("TRÍCH LỤC KHAI TỬ", "LÊ VĂN TƯ", "02/05/1940", "14:30, ngày 05/03/2026", "KQ.H99.000001"):
        assert expected in text
    assert "Tại nhà, thôn Đông, xã An" in text
    assert "Lê Văn Hùng (con)" in text
    assert [s.valid for s in verify_pdf(final).signatures] == [True, True]


def test_a_procedure_without_a_template_gets_the_generic_result(people, staff) -> None:
    schema = {
        "type": "object",
        "properties": {
            "noi_dung": {"type": "string", "title": "Nội dung đề nghị"},
            "so_ban": {"type": "integer", "title": "Số bản"},
        },
    }
    import_procedure("9.000001", "Thủ tục thử", schema)
    final = approve_and_issue(staff, at_the_leader(people, staff, "9.000001", {"noi_dung": "Cấp bản sao", "so_ban": 2}))
    text = page_text(final)
    assert "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in text
    assert "Kết quả của thủ tục" in text  # the result type
    assert text.index("Nội dung đề nghị") < text.index("Số bản")  # the author's order, not the database's
    assert "Cấp bản sao" in text and "chấp thuận" in text and "KQ.H99.000001" in text


# --- refusals that change nothing -------------------------------------------------------------------------------


def snapshot(dossier: Dossier) -> tuple[Any, ...]:
    fresh = Dossier.objects.get(pk=dossier.pk)
    result = DossierResult.objects.filter(dossier=fresh).values_list("number", "sha256", "file").first()
    return (fresh.status, fresh.step_position, fresh.events.count(), result, list(ResultCounter.objects.values_list()))


def media(settings: Any) -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_approval_of_something_else_than_the_preview_is_refused(people, staff, birth, settings) -> None:
    yesterday = result_preview(birth, leader=staff["leader"], at=birth.step_started_at - timedelta(days=1))
    before, files = snapshot(birth), media(settings)
    with pytest.raises(PreviewOutdated):
        dossier_approve(actor=staff["leader"], code=birth.code, previewed=yesterday.digest)  # another date
    with pytest.raises(PreviewOutdated):
        dossier_approve(actor=staff["leader"], code=birth.code, previewed="")  # never opened
    assert (snapshot(birth), media(settings)) == (before, files)


def test_an_agency_without_a_seal_cannot_issue_where_signatures_are_required(people, staff, birth, settings) -> None:
    leader, clerk = staff["leader"], staff["clerk"]
    ProcedureVersion.objects.filter(procedure__code="1.001193").update(digital_signature_required=True)
    (Path(settings.MOTCUA_SIGNING_DIR) / "agencies" / "H99.101.key.pem").unlink()
    preview = result_preview(birth, leader=leader, at=birth.step_started_at)
    dossier_approve(actor=leader, code=birth.code, assignee=clerk, previewed=preview.digest)
    before, files = snapshot(birth), media(settings)
    with pytest.raises(SignerUnavailable):
        dossier_issue_result(actor=clerk, code=birth.code)
    assert (snapshot(birth), media(settings)) == (before, files)
    assert before[3][0] == ""  # not numbered


def test_without_a_seal_the_number_is_still_written_and_the_leader_s_signature_kept(
    people, staff, birth, settings
) -> None:
    for path in (Path(settings.MOTCUA_SIGNING_DIR) / "agencies").iterdir():
        path.unlink()
    final = approve_and_issue(staff, birth)
    assert number_fields_read(final) == {"so_ky_hieu": "KQ.H99.000001", "ngay_ban_hanh": "09/03/2026"}
    assert [(s.signer_name, s.intact, s.valid) for s in verify_pdf(final).signatures] == [
        ("Hoàng Văn Lãnh", True, True)
    ]


def test_a_sector_system_s_file_gets_the_number_area_and_both_signatures(people, staff, tmp_path) -> None:
    from motcua.signing.tests.pdfs import result_pdf
    from tests.intake import pdf

    submitted = dossier_submit_online(actor=people["citizen"], application=birth_application())
    code = dossier_receive(actor=people["desk"], code=submitted.code).code
    dossier_forward(actor=people["desk"], code=code, assignee=people["specialist"])
    upload = pdf("trich-luc-tu-phan-mem-ho-tich.pdf", data=result_pdf())
    dossier = dossier_forward(actor=people["specialist"], code=code, assignee=staff["leader"], draft=upload)
    preview = result_preview(dossier, leader=staff["leader"], at=dossier.step_started_at)
    assert preview.pdf() == result_pdf()  # the leader previews the uploaded file itself
    final = approve_and_issue(staff, dossier)
    assert number_fields_read(final) == {"so_ky_hieu": "KQ.H99.000001", "ngay_ban_hanh": "09/03/2026"}
    assert "Trần Thị Bé Ngọc" in page_text(final)
    assert [(s.intact, s.valid) for s in verify_pdf(final).signatures] == [(True, True), (True, True)]
    assert pdfsig(final, tmp_path).count("Signature Validation: Signature is Valid.") == 2


def test_a_refusal_is_a_letter_with_the_reasons_and_its_number(people, staff, birth) -> None:
    dossier_reject(
        actor=staff["leader"], code=birth.code, reason="Giấy chứng sinh không hợp lệ.", assignee=staff["clerk"]
    )
    dossier_issue_result(actor=staff["clerk"], code=birth.code)
    final = result_file(DossierResult.objects.get(dossier=birth))
    text = " ".join(page_text(final).split())  # the reason wraps over lines
    assert "VĂN BẢN TRẢ LỜI" in text and "Giấy chứng sinh không hợp lệ." in text and "KQ.H99.000001" in text
    assert [s.valid for s in verify_pdf(final).signatures] == [True, True]
