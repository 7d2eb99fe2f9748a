"""A small catalog whose birth registration has two cases, conditional and one-of documents, fees per
case and result types (the test catalog of ``tests.factories`` extended)."""

from __future__ import annotations

import copy
from typing import Any

from tests.factories import BIRTH_SCHEMA, small_catalog

SCHEMA = copy.deepcopy(BIRTH_SCHEMA)
SCHEMA["properties"]["submitted_by_authorised_person"] = {"type": "boolean", "title": "Nộp qua người được ủy quyền"}
SCHEMA["properties"]["late_registration"] = {"type": "boolean", "title": "Đăng ký quá hạn"}


def two_case_catalog() -> dict[str, Any]:
    document = small_catalog()
    birth = document["procedures"][0]
    birth["form_schema"] = copy.deepcopy(SCHEMA)
    birth["cases"] = [
        {"code": "dung-han", "name": "Đăng ký khai sinh đúng hạn"},
        {
            "code": "qua-han",
            "name": "Đăng ký khai sinh quá hạn",
            "processing_time": {"amount": "3", "unit": "working_days"},
            "online_mode": "partial",
            "description": "Quá 60 ngày kể từ ngày sinh",
            "selector": {"field": "late_registration", "equals": True},
        },
    ]
    birth["required_documents"] += [
        {
            "name": "Văn bản ủy quyền",
            "requirement": "conditional",
            "condition_label": "Trường hợp nộp hồ sơ thông qua người được ủy quyền",
            "condition": {"field": "submitted_by_authorised_person", "equals": True},
            "form": "certified_copy",
        },
        {
            "name": "Giấy tờ chứng minh nơi cư trú",
            "requirement": "conditional",
            "condition_label": "Trường hợp thông tin cư trú chưa có trong Cơ sở dữ liệu quốc gia về dân cư",
            "form": "copy",
        },
        {"name": "Hộ chiếu", "requirement": "one_of", "group": "giay-to-tuy-than", "form": "copy"},
        {"name": "Thẻ căn cước", "requirement": "one_of", "group": "giay-to-tuy-than", "form": "copy"},
        {"name": "Giấy tờ chứng minh việc sinh", "cases": ["qua-han"], "note": "nếu không có Giấy chứng sinh"},
    ]
    birth["fees"] = [
        {"name": "Lệ phí đăng ký khai sinh", "amount": 0, "cases": ["dung-han"], "exemptions": "Miễn lệ phí"},
        {
            "name": "Lệ phí đăng ký khai sinh quá hạn",
            "amount": 5000,
            "cases": ["qua-han"],
            "collected_at": "submission",
        },
    ]
    birth["result_types"] = [
        {"code": "GKS", "name": "Giấy khai sinh", "validity_months": None},
        {"code": "TLKS", "name": "Bản sao Trích lục khai sinh", "validity_months": 6},
    ]
    return document
