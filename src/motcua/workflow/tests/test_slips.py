"""The official slips (Thông tư 03/2025/TT-VPCP) generated from dossiers moved by the intake services.

They live with the workflow tests because they need the intake services, which sit above ``dossiers``.
"""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from motcua.dossiers import slips
from motcua.dossiers.models import Dossier
from motcua.dossiers.slips import SlipKind, SlipNotAvailable, available_slips, processing_time, slip_context, slip_pdf
from motcua.workflow.constants import Action
from motcua.workflow.services import (
    dossier_receive,
    dossier_receive_at_desk,
    dossier_refuse,
    dossier_request_supplement,
    dossier_submit_online,
)
from tests.intake import birth_application, birth_documents, pdf

CODE = "H99.101-260309-0001"
URL = f"https://dvc.example.vn/tra-cuu/{CODE}/"


def pdf_text(data: bytes) -> str:
    """The PDF's text with runs of white space (line breaks included) made single spaces."""
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture(autouse=True)
def _site_url(settings) -> None:
    settings.SITE_URL = "https://dvc.example.vn"


@pytest.fixture
def walk_in(people, monday_morning) -> Dossier:
    """Received at the desk on Monday 09:00: the form scanned, the birth certificate seen in original."""
    docs = birth_documents()
    dossier = dossier_receive_at_desk(
        officer=people["desk"],
        applicant=people["citizen"],
        desk_code="H99.101.MC",
        application=birth_application(
            uploads=[pdf(required_document_id=docs[0].pk)],
            return_method="post",
            return_address="Số 12 đường Lê Lợi, xã An",
            authorised_name="Trần Thị Bình",
            authorised_id_number="001190009999",
        ),
        originals_seen=[docs[1].pk],
    )
    assert dossier.code == CODE
    return dossier


@pytest.fixture
def submitted(people, monday_morning) -> Dossier:
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    assert dossier.code == CODE
    return dossier


def test_receipt_carries_the_content_of_the_official_form(walk_in, people) -> None:
    text = pdf_text(slip_pdf(walk_in, SlipKind.RECEIPT))

    for fragment in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "XÃ AN",
        "DESK H99.101",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        f"Mã hồ sơ: {CODE}",
        f"Ông/bà/tổ chức: {walk_in.applicant_name}",
        "Số định danh cá nhân: 042190001234",
        "Số điện thoại: 0912345678",
        "Người được ủy quyền nộp hồ sơ: Trần Thị Bình (001190009999)",
        "Nội dung yêu cầu giải quyết: Thủ tục đăng ký khai sinh (mã thủ tục 1.001193)",
        "1 Tờ khai đăng ký khai sinh Bản điện tử Tệp điện tử: to-khai.pdf",
        "2 Giấy chứng sinh Bản chính Đã đối chiếu bản chính",
        "2. Số lượng hồ sơ: 01 bộ",
        "3. Thời gian giải quyết hồ sơ theo quy định: 1 ngày làm việc",
        "4. Thời gian nhận hồ sơ: 09:00, ngày 09/03/2026",
        "5. Thời gian trả kết quả giải quyết hồ sơ: 09:00, ngày 10/03/2026",
        "6. Đăng ký nhận kết quả: Qua dịch vụ bưu chính công ích, đến địa chỉ: Số 12 đường Lê Lợi, xã An",
        "NGƯỜI NỘP HỒ SƠ (Ký và ghi rõ họ tên)",
        "NGƯỜI TIẾP NHẬN HỒ SƠ (Ký và ghi rõ họ tên)",
        f"Trần Thị Bình NGƯỜI TIẾP NHẬN HỒ SƠ (Ký và ghi rõ họ tên) {people['desk'].full_name}",
        URL,
    ]:
        assert fragment in text, fragment


def test_receipt_of_an_online_dossier_names_the_officer_who_received_it(submitted, people) -> None:
    dossier = dossier_receive(actor=people["desk"], code=CODE)
    text = pdf_text(slip_pdf(dossier, "receipt"))

    assert "1 Tờ khai đăng ký khai sinh Bản điện tử Tệp điện tử: to-khai.pdf" in text
    assert "2 Giấy chứng sinh Bản điện tử Tệp điện tử: giay-chung-sinh.pdf" in text
    assert "Bản điện tử, trên Cổng Dịch vụ công" in text
    assert (
        f"NGƯỜI NỘP HỒ SƠ (Ký và ghi rõ họ tên) {dossier.applicant_name} "
        f"NGƯỜI TIẾP NHẬN HỒ SƠ (Ký và ghi rõ họ tên) {people['desk'].full_name}"
    ) in text
    assert "Người được ủy quyền" not in text


def test_the_qr_code_encodes_the_public_tracking_address(walk_in) -> None:
    context = slip_context(walk_in, SlipKind.RECEIPT)

    assert context["tracking_url"] == URL
    assert context["qr"] == slips.qr_data_uri(URL)
    assert context["qr"].startswith("data:image/svg+xml")


def test_refusal_slip_gives_the_reason_and_the_officer(submitted, people) -> None:
    dossier_refuse(actor=people["desk"], code=CODE, reason="Giấy chứng sinh là bản chụp mờ, không đọc được.")
    text = pdf_text(slip_pdf(submitted, SlipKind.REFUSAL))

    for fragment in [
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        f"Mã hồ sơ: {CODE}",
        f"Ông/bà/tổ chức: {submitted.applicant_name}",
        "Số định danh cá nhân: 042190001234",
        "Thủ tục đăng ký khai sinh (mã thủ tục 1.001193)",
        "vào lúc 09:00, ngày 09/03/2026 với lý do cụ thể như sau: Giấy chứng sinh là bản chụp mờ, không đọc được.",
        "Ngày 09 tháng 03 năm 2026",
        f"NGƯỜI TIẾP NHẬN HỒ SƠ (Ký và ghi rõ họ tên) {people['desk'].full_name}",
        URL,
    ]:
        assert fragment in text, fragment


def test_supplement_guide_lists_what_is_missing(walk_in, people) -> None:
    dossier_request_supplement(
        actor=people["desk"],
        code=CODE,
        missing=["Bản chính Giấy chứng sinh", "Tờ khai có chữ ký của người đi khai sinh"],
        note="Tờ khai chưa ký.",
    )
    text = pdf_text(slip_pdf(walk_in, SlipKind.SUPPLEMENT))

    for fragment in [
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        f"Mã hồ sơ: {CODE}",
        f"Hồ sơ của: {walk_in.applicant_name}",
        "Thủ tục đăng ký khai sinh (mã thủ tục 1.001193)",
        "1. Bản chính Giấy chứng sinh 2. Tờ khai có chữ ký của người đi khai sinh",
        "Lý do: Tờ khai chưa ký.",
        f"liên hệ với {people['desk'].full_name}",
        f"NGƯỜI HƯỚNG DẪN (Ký và ghi rõ họ tên) {people['desk'].full_name}",
    ]:
        assert fragment in text, fragment


def test_supplement_guide_does_not_repeat_the_list_as_a_reason(walk_in, people) -> None:
    dossier_request_supplement(actor=people["desk"], code=CODE, missing=["Giấy chứng sinh"], note="")
    text = pdf_text(slip_pdf(walk_in, SlipKind.SUPPLEMENT))

    assert "1. Giấy chứng sinh" in text
    assert "Lý do" not in text


def test_a_slip_exists_once_its_event_happened(submitted, people) -> None:
    assert available_slips(submitted) == []
    with pytest.raises(SlipNotAvailable) as refused:
        slip_pdf(submitted, SlipKind.RECEIPT)
    assert refused.value.code == "slip_not_available"

    dossier_receive(actor=people["desk"], code=CODE)
    dossier_request_supplement(actor=people["desk"], code=CODE, missing=["Giấy chứng sinh"], note="")
    assert available_slips(submitted) == [SlipKind.RECEIPT, SlipKind.SUPPLEMENT]
    with pytest.raises(SlipNotAvailable):
        slip_pdf(submitted, SlipKind.REFUSAL)


def test_a_refused_dossier_has_only_its_refusal_slip(submitted, people) -> None:
    dossier_refuse(actor=people["desk"], code=CODE, reason="Không thuộc thẩm quyền.")

    assert available_slips(submitted) == [SlipKind.REFUSAL]
    with pytest.raises(SlipNotAvailable):
        slip_pdf(submitted, SlipKind.RECEIPT)


def test_an_unknown_kind_is_not_available(walk_in) -> None:
    with pytest.raises(SlipNotAvailable):
        slip_pdf(walk_in, "receipt.pdf")


@pytest.mark.parametrize(
    ("amount", "unit", "expected"),
    [
        (Decimal("1.00"), "working_days", "1 ngày làm việc"),
        (Decimal("1.50"), "working_days", "1,5 ngày làm việc"),
        (Decimal("4"), "working_hours", "4 giờ làm việc"),
        (Decimal("30.00"), "calendar_days", "30 ngày"),
        (None, "none", "Không quy định thời hạn"),
        (None, "working_days", "Không quy định thời hạn"),
    ],
)
def test_legal_processing_time_in_words(amount, unit, expected) -> None:
    assert processing_time(amount, unit) == expected


def test_slip_events_are_the_workflow_actions() -> None:
    # dossiers cannot import workflow (it sits below it): the names it uses must still agree.
    assert (slips.RECEIVE, slips.REFUSE, slips.REQUEST_SUPPLEMENT) == (
        Action.RECEIVE,
        Action.REFUSE,
        Action.REQUEST_SUPPLEMENT,
    )


def test_receipt_lists_each_paper_in_the_form_it_was_received(people, monday_morning) -> None:
    docs = birth_documents()
    dossier = dossier_receive_at_desk(
        officer=people["desk"],
        applicant=people["citizen"],
        desk_code="H99.101.MC",
        application=birth_application(uploads=[]),
        originals_seen=[],
        papers={docs[0].pk: "certified_copy", docs[1].pk: "copy"},
    )
    text = pdf_text(slip_pdf(dossier, SlipKind.RECEIPT))

    assert "1 Tờ khai đăng ký khai sinh Bản sao chứng thực Đã nhận bản giấy" in text
    assert "2 Giấy chứng sinh Bản sao Đã nhận bản giấy" in text
    assert "Đã đối chiếu bản chính" not in text
    assert list(dossier.documents.order_by("id").values_list("form", "original_seen")) == [
        ("certified_copy", False),
        ("copy", False),
    ]


def test_the_qr_code_follows_the_port_the_demo_runs_on(walk_in, settings) -> None:
    settings.SITE_URL = "http://127.0.0.1:8080"
    url = f"http://127.0.0.1:8080/tra-cuu/{CODE}/"

    context = slip_context(walk_in, SlipKind.RECEIPT)

    assert context["tracking_url"] == url
    assert context["qr"] == slips.qr_data_uri(url)
    assert url in pdf_text(slips.slip_pdf(walk_in, SlipKind.RECEIPT))
