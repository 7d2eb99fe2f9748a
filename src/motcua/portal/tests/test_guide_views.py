"""The online guide of a demo procedure, word for word; a procedure not offered online; the A4 board (HTML
and PDF) listing exactly the agency's online procedures with their QR codes; the TV display."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import segno
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from motcua.agencies.services import agency_import
from motcua.catalog.models import Procedure
from motcua.catalog.services import catalog_import, online_guide_save
from motcua.portal.guide_views import qr_svg_data_uri
from tests.factories import small_catalog

DATA = Path(__file__).resolve().parents[2] / "demo" / "demo_data"
SITE = "https://dichvucong.quangninh.example"


def read(name: str) -> Any:
    return json.loads((DATA / name).read_text())


@pytest.fixture
def demo_catalog(db: Any) -> dict[str, Any]:
    agency_import(actor=None, rows=list(enumerate(read("agencies.json"), start=1)))
    document = read("catalog.json")
    catalog_import(actor=None, document=document)
    return document


def page(client: Any, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def text(element: Any) -> str:
    return re.sub(r"\s+", " ", element.text_content()).strip()


def items(element: Any) -> list[str]:
    return [text(li) for li in element.xpath("./li")]


def steps(doc: Any) -> dict[str, str]:
    return {li.get("id"): text(li) for li in doc.xpath('//ol[@id="guide-steps"]/li')}


def test_the_guide_of_the_birth_registration_step_by_step(client, demo_catalog, django_assert_max_num_queries) -> None:
    offering = next(p for p in demo_catalog["procedures"] if p["code"] == "1.001193")["agencies"]
    # A fixed number, plus the postal tariff of each agency offering it (integrations.tariff_notices).
    with django_assert_max_num_queries(11 + len(offering)):
        doc = page(client, reverse("portal:guide", args=["1.001193"]))

    assert text(doc.get_element_by_id("guide-mode")) == (
        "Trực tuyến toàn trình Mọi bước đều thực hiện trực tuyến: bạn không phải đến bộ phận một cửa."
    )
    found = steps(doc)
    assert list(found) == [
        "step-login",
        "step-start",
        "step-form",
        "step-documents",
        "step-return",
        "step-send",
        "step-pay",
        "step-track",
    ]
    # The real names of the portal's buttons and fields, as the citizen sees them on the way.
    assert found["step-login"] == (
        "Đăng nhập Bấm “Đăng nhập” ở đầu trang. Nhanh nhất là chọn “Đăng nhập bằng tài khoản định danh điện tử "
        "(VNeID)”: không cần mật khẩu, tài khoản của bạn được tìm hoặc mở theo số định danh cá nhân. Cũng có thể "
        "đăng nhập bằng tài khoản của Cổng (chọn “Đăng ký” nếu chưa có tài khoản). Doanh nghiệp, tổ chức đăng "
        "nhập bằng tài khoản của doanh nghiệp, tổ chức."
    )
    names = {a["code"]: a["name"] for a in read("agencies.json")}
    assert items(doc.get_element_by_id("guide-agencies")) == [names[code] for code in sorted(offering)]
    assert items(doc.get_element_by_id("guide-cases")) == [
        "Đăng ký khai sinh đúng hạn (trong 60 ngày kể từ ngày sinh)",
        "Đăng ký khai sinh quá hạn (sau 60 ngày kể từ ngày sinh)",
    ]
    assert items(doc.get_element_by_id("guide-fields"))[:4] == [
        "Họ, chữ đệm, tên người yêu cầu *",
        "Số định danh cá nhân của người yêu cầu * (12 chữ số trên thẻ căn cước)",
        "Số điện thoại liên hệ",
        "Quan hệ với người được khai sinh *",
    ]
    assert found["step-documents"] == (
        "Đính kèm thành phần hồ sơ Đính kèm một tệp cho mỗi giấy tờ: PDF, JPEG hoặc PNG, tối đa 10 MB. Có thể "
        "dùng ảnh chụp bằng điện thoại nếu ảnh rõ nét và đủ nội dung. "
        "Tờ khai đăng ký khai sinh theo mẫu (Bản điện tử) "
        "Giấy chứng sinh hoặc giấy tờ thay thế Giấy chứng sinh (Bản chính) "
        "Văn bản ủy quyền (Bản sao chứng thực) Trường hợp nộp hồ sơ thông qua người được ủy quyền "
        "Giấy tờ chứng minh nơi cư trú (Bản sao) "
        "Trường hợp thông tin cư trú chưa có trong Cơ sở dữ liệu quốc gia về dân cư"
    )
    assert found["step-return"] == (
        "Chọn hình thức nhận kết quả Kết quả: Giấy khai sinh (bản chính); Bản sao Trích lục khai sinh (nếu có "
        "yêu cầu). Tại “Bạn muốn nhận kết quả theo hình thức nào?”, chọn: "
        "Bản điện tử: trong “Hồ sơ của tôi”, bấm “Tải kết quả (PDF)”. "
        "Trực tiếp tại Bộ phận Một cửa: tại bộ phận một cửa của cơ quan đã chọn, khi đến mang theo mã hồ sơ. "
        "Qua dịch vụ bưu chính: Cước chuyển phát do doanh nghiệp bưu chính thu."
    )
    assert found["step-send"] == (
        "Cam đoan và nộp hồ sơ Đánh dấu “Tôi cam đoan các thông tin đã khai là đúng sự thật” và bấm “Nộp hồ sơ”. "
        "Trang tiếp theo hiện mã hồ sơ: hãy lưu lại. Chưa xong? “Lưu bản nháp” giữ lại nội dung đã nhập, không "
        "giữ tệp đính kèm."
    )
    assert items(doc.get_element_by_id("guide-fees")) == [
        "Lệ phí đăng ký khai sinh: miễn phí (Thời điểm thu: Khi tiếp nhận hồ sơ) Chỉ áp dụng cho: Đăng ký khai "
        "sinh đúng hạn (trong 60 ngày kể từ ngày sinh) Miễn, giảm: Miễn lệ phí đăng ký khai sinh đúng hạn (Luật "
        "Hộ tịch, Điều 11).",
        "Lệ phí đăng ký khai sinh quá hạn: 8000 đ (Thời điểm thu: Khi tiếp nhận hồ sơ) Chỉ áp dụng cho: Đăng ký "
        "khai sinh quá hạn (sau 60 ngày kể từ ngày sinh) Miễn, giảm: Miễn lệ phí đăng ký hộ tịch cho người thuộc "
        "gia đình có công với cách mạng, người thuộc hộ nghèo, người khuyết tật (Luật Hộ tịch, Điều 11).",
        "Phí cấp bản sao Trích lục khai sinh (nếu có yêu cầu): 8000 đ (Thời điểm thu: Khi trả kết quả)",
    ]
    assert text(doc.get_element_by_id("guide-pay-online")) == (
        "Thanh toán trực tuyến: mở hồ sơ trong “Hồ sơ của tôi”, bấm “Thanh toán trực tuyến” ở từng khoản phải "
        "nộp, rồi làm theo trang của đơn vị thanh toán."
    )
    assert items(doc.get_element_by_id("guide-pay-when")) == [
        "Phí, lệ phí thu khi tiếp nhận: sau khi bộ phận một cửa tiếp nhận hồ sơ (bạn sẽ được thông báo).",
        "Phí, lệ phí thu khi trả kết quả: khi có kết quả (bạn sẽ được thông báo).",
    ]
    assert found["step-track"] == (
        "Theo dõi hồ sơ Mọi bước xử lý hồ sơ hiện trong “Hồ sơ của tôi”; bạn được báo qua SMS hoặc thư điện tử "
        "khi hồ sơ được tiếp nhận, khi cần bổ sung và khi có kết quả. Không cần đăng nhập, “Tra cứu hồ sơ” tìm "
        "hồ sơ theo mã hồ sơ và 4 số cuối điện thoại hoặc số định danh của người nộp. Nếu cơ quan yêu cầu bổ "
        "sung hồ sơ, đính kèm giấy tờ còn thiếu trên trang của hồ sơ và bấm “Gửi giấy tờ bổ sung”."
    )
    # Nothing here from the store, nothing to bring to the desk: a fully online procedure without reuse.
    assert doc.xpath('//*[@id="guide-reuse" or @id="guide-papers" or @id="guide-notes"]') == []


@override_settings(MOTCUA_NATIONAL_ID_LOGIN_ENABLED=False)
def test_without_national_login_the_guide_does_not_mention_it(client, demo_catalog) -> None:
    doc = page(client, reverse("portal:guide", args=["1.001193"]))

    assert steps(doc)["step-login"] == (
        "Đăng nhập Bấm “Đăng nhập” ở đầu trang. Đăng nhập bằng tài khoản của Cổng (chọn “Đăng ký” nếu chưa có "
        "tài khoản). Doanh nghiệp, tổ chức đăng nhập bằng tài khoản của doanh nghiệp, tổ chức."
    )


def test_a_partly_online_procedure_lists_the_store_and_the_originals(client, demo_catalog) -> None:
    doc = page(client, reverse("portal:guide", args=["1.000894"]))

    assert text(doc.get_element_by_id("guide-mode")).startswith("Trực tuyến một phần Bạn nộp hồ sơ trực tuyến;")
    assert items(doc.get_element_by_id("guide-documents")) == [
        "Tờ khai đăng ký kết hôn theo mẫu (Bản điện tử)",
        "Giấy xác nhận tình trạng hôn nhân (Bản chính) Trường hợp một bên không đăng ký thường trú tại xã, "
        "phường nơi đăng ký kết hôn và thông tin không khai thác được từ Cơ sở dữ liệu quốc gia về dân cư",
        "Thẻ căn cước hoặc giấy tờ tùy thân có ảnh của người yêu cầu (Bản chính) Có thể lấy từ kho dữ liệu của bạn",
    ]
    assert text(doc.get_element_by_id("guide-papers")) == (
        "Giữ sẵn bản chính: bộ phận một cửa có thể yêu cầu xuất trình để đối chiếu trước khi trả kết quả: Giấy "
        "xác nhận tình trạng hôn nhân; Thẻ căn cước hoặc giấy tờ tùy thân có ảnh của người yêu cầu."
    )
    assert text(doc.get_element_by_id("guide-reuse")).startswith("Nếu “Kho dữ liệu của tôi” đã có bản còn hiệu lực")
    # A free fee only: nothing to pay online.
    nothing_to_pay = "Thủ tục này không có khoản nào phải thanh toán trực tuyến."
    assert text(doc.get_element_by_id("guide-pay-online")) == nothing_to_pay


def test_a_procedure_not_offered_online_says_where_to_go(client, demo_catalog) -> None:
    doc = page(client, reverse("portal:guide", args=["2.000884"]))

    assert text(doc.xpath("//h1")[0]) == "Nơi và cách nộp hồ sơ"
    assert text(doc.get_element_by_id("guide-mode")) == (
        "Không trực tuyến (chỉ cung cấp thông tin) Thủ tục này không cung cấp trực tuyến: vui lòng nộp hồ sơ "
        "tại bộ phận một cửa của cơ quan."
    )
    assert doc.xpath('//*[@id="guide-steps"]') == []
    assert doc.xpath(f'//a[@href="{reverse("portal:submit", args=["2.000884"])}"]') == []
    places = items(doc.get_element_by_id("guide-places"))
    assert len(places) == 17
    assert places[0] == (
        "Trung tâm Phục vụ hành chính công phường Hồng Gai — Số 20 phố Lê Thánh Tông, phường Hồng Gai, tỉnh Quảng Ninh"
    )
    assert items(doc.get_element_by_id("guide-documents")) == [
        "Thẻ căn cước hoặc giấy tờ tùy thân có ảnh của người yêu cầu (Bản chính)",
        "Giấy tờ, văn bản cần chứng thực chữ ký (Bản chính)",
    ]
    assert items(doc.get_element_by_id("guide-fees")) == ["Phí chứng thực chữ ký: 10000 đ"]


def test_a_case_not_offered_online_is_named(client, province) -> None:
    document = small_catalog()
    birth = document["procedures"][0]
    birth["cases"] = [
        {"code": "dung-han", "name": "Đúng hạn", "processing_time": {"amount": None, "unit": ""}},
        {"code": "qua-han", "name": "Quá hạn", "processing_time": {"amount": None, "unit": ""}, "online_mode": "none"},
    ]
    catalog_import(actor=None, document=document)

    doc = page(client, reverse("portal:guide", args=["1.001193"]))

    assert items(doc.get_element_by_id("guide-cases")) == ["Đúng hạn", "Quá hạn"]
    assert text(doc.get_element_by_id("guide-offline-cases")) == (
        "Các trường hợp sau không nộp trực tuyến được, vui lòng nộp tại bộ phận một cửa: Quá hạn"
    )


def test_the_administrators_notes_frame_the_steps(client, catalog) -> None:
    procedure = Procedure.objects.get(code="1.001193")
    online_guide_save(actor=None, procedure=procedure, intro="Nộp trước 15 giờ.", notes="Hỗ trợ: 0203 3835 001.")

    doc = page(client, reverse("portal:guide", args=["1.001193"]))

    assert text(doc.get_element_by_id("guide-intro")) == "Nộp trước 15 giờ."
    assert text(doc.get_element_by_id("guide-notes")) == "Hỗ trợ: 0203 3835 001."


def test_the_procedure_page_links_to_its_guide(client, catalog) -> None:
    online = page(client, reverse("portal:procedure", args=["1.001193"]))
    offline = page(client, reverse("portal:procedure", args=["2.000815"]))

    assert online.xpath('//p[@id="guide-link"]/a/@href') == [reverse("portal:guide", args=["1.001193"])]
    assert text(online.get_element_by_id("guide-link")) == "Hướng dẫn từng bước nộp hồ sơ trực tuyến ›"
    assert text(offline.get_element_by_id("guide-link")) == "Nơi và cách nộp hồ sơ ›"


def test_an_unknown_procedure_or_place_is_not_found(client, catalog) -> None:
    assert client.get(reverse("portal:guide", args=["9.999999"])).status_code == 404
    assert client.get(reverse("portal:guide-board", args=["H99.999"])).status_code == 404
    assert client.get(reverse("portal:guide-board-pdf", args=["H99.999"])).status_code == 404


# -- The board --------------------------------------------------------------------------------------------


def guide_address(code: str) -> str:
    return f"{SITE}/thu-tuc/{code}/huong-dan/"


@override_settings(SITE_URL=SITE)
def test_the_board_lists_exactly_the_agencys_online_procedures_with_their_qr_codes(client, catalog) -> None:
    doc = page(client, reverse("portal:guide-board", args=["H99.101.MC"]))

    rows = doc.xpath('//tr[@class="board-row"]')
    # H99.101 also offers 2.000815, which is not online: not on the board.
    assert [row.get("data-code") for row in rows] == ["1.001193", "2.000528"]
    assert [[text(cell) for cell in row.xpath("./td")[:3]] for row in rows] == [
        ["1", "Thủ tục đăng ký khai sinhMã thủ tục: 1.001193", "Trực tuyến toàn trình"],
        ["2", "Đăng ký khai sinh có yếu tố nước ngoàiMã thủ tục: 2.000528", "Trực tuyến một phần"],
    ]
    for row in rows:
        code = row.get("data-code")
        image = row.xpath(".//img")[0]
        assert image.get("data-url") == guide_address(code)
        # No decoder is installed: the image is the library's encoding of exactly that address.
        assert image.get("src") == qr_svg_data_uri(guide_address(code))
        assert image.get("src") == segno.make(guide_address(code), error="m").svg_data_uri(scale=4, border=2)
    heading = text(doc.xpath('//th[@class="board-head"]')[0])
    assert heading == (
        "XÃ AN Desk H99.101 Bảng hướng dẫn dịch vụ công trực tuyến Quét mã QR bằng camera điện thoại để mở hướng "
        "dẫn từng bước, rồi nộp hồ sơ trực tuyến ngay tại nhà."
    )


def test_the_board_of_a_demo_desk_lists_what_its_commune_offers_online(client, demo_catalog) -> None:
    expected = {
        p["code"] for p in demo_catalog["procedures"] if "H49.101" in p["agencies"] and p["online_mode"] != "none"
    }

    doc = page(client, reverse("portal:guide-board", args=["H49.101.MC"]))

    codes = [row.get("data-code") for row in doc.xpath('//tr[@class="board-row"]')]
    assert len(codes) == len(set(codes)) == len(expected) == 38
    assert set(codes) == expected


def test_the_board_as_pdf_has_every_name_and_the_heading_on_every_page(client, demo_catalog) -> None:
    response = client.get(reverse("portal:guide-board-pdf", args=["H49.101.MC"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="bang-huong-dan-H49.101.MC.pdf"'
    reader = PdfReader(io.BytesIO(response.content))
    pages = [re.sub(r"\s+", "", p.extract_text()) for p in reader.pages]
    assert len(pages) > 1
    for number, content in enumerate(pages, start=1):
        assert "BẢNGHƯỚNGDẪNDỊCHVỤCÔNGTRỰCTUYẾN" in content, number
        assert content.endswith(f"{number}/{len(pages)}"), number
    everything = "".join(pages)
    offered = [p for p in demo_catalog["procedures"] if "H49.101" in p["agencies"] and p["online_mode"] != "none"]
    for procedure in offered:
        assert re.sub(r"\s+", "", procedure["name"]) in everything, procedure["code"]
        assert procedure["code"] in everything


def test_the_boards_index_lists_agencies_and_desks(client, catalog) -> None:
    doc = page(client, reverse("portal:guide-boards"))

    rows = [text(row.xpath("./td")[0]) for row in doc.xpath('//table[@id="boards"]/tbody/tr')]
    assert rows == [
        "Xã An (H99.101)",
        "— Desk H99.101 (H99.101.MC)",
        "Xã Bình (H99.102)",
        "— Desk H99.102 (H99.102.MC)",
    ]


# -- The TV display ---------------------------------------------------------------------------------------


def test_the_display_cycles_screens_of_three(client, demo_catalog) -> None:
    doc = page(client, reverse("portal:guide-board", args=["H49.101"]) + "?che-do=man-hinh&giay=20")

    screens = doc.xpath('//section[@class="screen"]')
    assert len(screens) == 13  # 38 procedures, 3 per screen
    assert [len(s.xpath('.//article[@class="display-card"]')) for s in screens] == [3] * 12 + [2]
    assert [s.get("hidden") for s in screens[:2]] == [None, ""]
    assert doc.get_element_by_id("screens").get("data-seconds") == "20"
    assert doc.xpath("//script/@src") == ["/static/motcua/guide_display.js"]
    assert doc.xpath("//style") == []  # the content security policy allows no inline style


@pytest.mark.parametrize(("given", "seconds"), [("1", "5"), ("999", "120"), ("abc", "15"), ("", "15")])
def test_the_display_keeps_its_pace_within_bounds(client, catalog, given: str, seconds: str) -> None:
    doc = page(client, reverse("portal:guide-board", args=["H99.101"]) + f"?che-do=man-hinh&giay={given}")

    assert doc.get_element_by_id("screens").get("data-seconds") == seconds
