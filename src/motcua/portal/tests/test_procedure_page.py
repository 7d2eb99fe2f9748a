"""The public procedure page shows the cases, and each document's condition, group or optional mark."""

from __future__ import annotations

import re

from django.urls import reverse

from motcua.catalog.services import catalog_import
from motcua.catalog.tests.cases_catalog import two_case_catalog


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_cases_documents_and_fees_as_the_law_writes_them(client, province, django_assert_max_num_queries) -> None:
    catalog_import(actor=None, document=two_case_catalog())

    with django_assert_max_num_queries(14):
        response = client.get(reverse("portal:procedure", args=["1.001193"]))

    assert response.status_code == 200
    text = visible_text(response.content.decode())
    cases = text[text.index("Các trường hợp") : text.index("Thành phần hồ sơ")].strip()
    assert cases == (
        "Các trường hợp Trường hợp Thời hạn giải quyết Phí, lệ phí "
        "Đăng ký khai sinh đúng hạn 1 ngày làm việc Lệ phí đăng ký khai sinh: miễn phí "
        "Đăng ký khai sinh quá hạn Quá 60 ngày kể từ ngày sinh Trực tuyến một phần 3 ngày làm việc "
        "Lệ phí đăng ký khai sinh quá hạn: 5000 đ"
    )
    documents = text[text.index("Thành phần hồ sơ") : text.index("Phí, lệ phí Lệ phí")].strip()
    assert (
        documents
        == (
            "Thành phần hồ sơ # Giấy tờ Loại bản Số lượng "
            "1 Tờ khai đăng ký khai sinh Bản chính 1 "
            "2 Giấy chứng sinh Bản chính 1 "
            "3 Văn bản ủy quyền (Trường hợp nộp hồ sơ thông qua người được ủy quyền) Bản sao chứng thực 1 "
            "4 Giấy tờ chứng minh nơi cư trú "
            "(Trường hợp thông tin cư trú chưa có trong Cơ sở dữ liệu quốc gia về dân cư) Bản sao 1 "
            "5 Một trong các giấy tờ sau: – Hộ chiếu Bản sao 1 – Thẻ căn cước Bản sao 1 "
            "6 Giấy tờ chứng minh việc sinh Chỉ áp dụng cho: Đăng ký khai sinh quá hạn nếu không có Giấy chứng sinh "
            "Bản chính 1 "
        ).strip()
    )
    assert (
        "Lệ phí đăng ký khai sinh quá hạn: 5000 đ Chỉ áp dụng cho: Đăng ký khai sinh quá hạn "
        "Thời điểm thu: Khi nộp hồ sơ"
    ) in text
    assert "Lệ phí đăng ký khai sinh: miễn phí Chỉ áp dụng cho: Đăng ký khai sinh đúng hạn " in text
    assert "Miễn, giảm: Miễn lệ phí" in text
    assert "Kết quả Giấy khai sinh Bản sao Trích lục khai sinh (hiệu lực 6 tháng)" in text


def test_a_procedure_without_cases_has_no_case_table(client, catalog) -> None:
    response = client.get(reverse("portal:procedure", args=["2.000815"]))
    text = visible_text(response.content.decode())
    assert "Các trường hợp" not in text
    assert "Phí chứng thực: 2000 đ (mỗi trang) Thời điểm thu: Khi tiếp nhận hồ sơ" in text
