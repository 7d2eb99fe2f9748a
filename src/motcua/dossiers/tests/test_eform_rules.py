"""E-form checks beyond the JSON Schema: personal IDs, dates, text length; the same on the form and the
service path."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.utils import translation

from motcua.core.schema_forms import DEFAULT_MAX_LENGTH, field_kind, schema_form_class, value_problem
from motcua.dossiers.eform import form_errors

TODAY = date(2026, 3, 9)
SCHEMA = {
    "type": "object",
    "properties": {
        "ho_ten_tre": {"type": "string", "title": "Họ tên trẻ"},
        "ngay_sinh_tre": {"type": "string", "format": "date", "x-kind": "birth_date"},
        "ngay_nop": {"type": "string", "format": "date"},
        "so_giay_to_me": {"type": "string", "x-kind": "personal_id", "x-birth-date-field": "ngay_sinh_me"},
        "ngay_sinh_me": {"type": "string", "format": "date"},
        "ghi_chu": {"type": "string", "maxLength": 2000},
        "gioi_tinh": {"type": "string", "enum": ["Nam", "Nữ"]},
    },
    "required": ["ho_ten_tre"],
}
GOOD = {
    "ho_ten_tre": "Nguyễn Văn An",
    "ngay_sinh_tre": "2026-03-01",
    "ngay_nop": "2026-03-09",
    "so_giay_to_me": "042190001234",
    "ngay_sinh_me": "1990-05-02",
}


def codes(data: dict, today: date = TODAY) -> dict[str, str]:
    found = {}
    for name, spec in SCHEMA["properties"].items():
        if data.get(name) not in (None, ""):
            problem = value_problem(name, spec, data[name], data=data, today=today)
            if problem is not None:
                found[name] = problem.code
    return found


def test_kinds_are_explicit_or_recognised_by_name() -> None:
    assert field_kind("ngay_sinh_tre", SCHEMA["properties"]["ngay_sinh_tre"]) == "birth_date"
    assert field_kind("so_giay_to_me", SCHEMA["properties"]["so_giay_to_me"]) == "personal_id"
    assert field_kind("ngay_sinh", {"type": "string", "format": "date"}) == "birth_date"
    assert field_kind("so_dinh_danh_me", {"type": "string", "pattern": "^[0-9]{12}$"}) == "personal_id"
    assert field_kind("ngay_nop", {"type": "string", "format": "date"}) == ""
    assert field_kind("ngay_sinh", {"type": "string", "format": "date", "x-kind": ""}) == ""  # explicit wins


def test_good_values_pass() -> None:
    assert codes(GOOD) == {}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"so_giay_to_me": "000000000000"}, {"so_giay_to_me": "personal_id_region"}),
        ({"so_giay_to_me": "003190001234"}, {"so_giay_to_me": "personal_id_region"}),
        ({"so_giay_to_me": "04219000123"}, {"so_giay_to_me": "personal_id_format"}),
        ({"so_giay_to_me": "042399001234"}, {"so_giay_to_me": "personal_id_birth_year"}),  # born 2099
        ({"so_giay_to_me": "042191001234"}, {"so_giay_to_me": "personal_id_birth_date"}),  # 1991, mother born 1990
        ({"so_giay_to_me": "042390001234"}, {"so_giay_to_me": "personal_id_birth_year"}),  # 2090
        ({"ngay_sinh_tre": "2030-01-01"}, {"ngay_sinh_tre": "birth_date_future"}),
        ({"ngay_sinh_tre": "2026-03-10"}, {"ngay_sinh_tre": "birth_date_future"}),  # tomorrow
        ({"ngay_sinh_tre": "1899-12-31"}, {"ngay_sinh_tre": "date_too_early"}),
        ({"ngay_nop": "1899-12-31"}, {"ngay_nop": "date_too_early"}),
        ({"ho_ten_tre": "A" * (DEFAULT_MAX_LENGTH + 1)}, {"ho_ten_tre": "too_long"}),
        ({"ghi_chu": "A" * 2001}, {"ghi_chu": "too_long"}),
    ],
)
def test_bad_values_have_stable_codes(change, expected) -> None:
    assert codes(GOOD | change) == expected


def test_boundaries_are_accepted() -> None:
    assert codes(GOOD | {"ngay_sinh_tre": "2026-03-09", "ngay_nop": "1900-01-01"}) == {}
    assert codes(GOOD | {"ho_ten_tre": "A" * DEFAULT_MAX_LENGTH, "ghi_chu": "A" * 2000}) == {}
    assert codes(GOOD | {"ngay_sinh_tre": "2030-01-01", "ngay_nop": "2030-01-01"}) == {
        "ngay_sinh_tre": "birth_date_future"
    }  # only a birth date cannot be in the future


@time_machine.travel(date(2026, 3, 9), tick=False)
def test_the_service_check_reports_each_field_in_vietnamese() -> None:
    bad = GOOD | {"so_giay_to_me": "000000000000", "ngay_sinh_tre": "2030-01-01", "ghi_chu": "A" * 2001}
    with translation.override("vi"):
        errors = form_errors(SCHEMA, bad)
    assert errors == {
        "so_giay_to_me": ["3 số đầu của số định danh cá nhân không phải mã của một tỉnh, thành phố hoặc quốc gia."],
        "ngay_sinh_tre": ["Ngày sinh không thể ở tương lai."],
        "ghi_chu": ["Nhập tối đa 2000 ký tự."],
    }
    assert form_errors(SCHEMA, GOOD) == {}


@time_machine.travel(date(2026, 3, 9), tick=False)
def test_the_form_gives_the_same_errors_and_limits_every_text() -> None:
    form_class = schema_form_class(SCHEMA)
    bad = GOOD | {"so_giay_to_me": "000000000000", "ngay_sinh_tre": "2030-01-01", "ho_ten_tre": "A" * 501}
    form = form_class(bad)
    with translation.override("vi"):
        assert not form.is_valid()
        assert {name: [e.code for e in errors.as_data()] for name, errors in form.errors.items()} == {
            "so_giay_to_me": ["personal_id_region"],
            "ngay_sinh_tre": ["birth_date_future"],
            "ho_ten_tre": ["too_long"],
        }
        assert form.errors["ngay_sinh_tre"] == ["Ngày sinh không thể ở tương lai."]
    assert form.fields["ho_ten_tre"].widget.attrs["maxlength"] == "500"
    assert form.fields["ghi_chu"].widget.attrs["maxlength"] == "2000"
    assert form_class(GOOD).is_valid()


def test_a_property_without_a_type_is_a_limited_text() -> None:
    spec = {"title": "Ghi chú"}
    assert value_problem("ghi_chu", spec, "A" * 501, today=TODAY).code == "too_long"
    assert value_problem("ghi_chu", spec, "A" * 500, today=TODAY) is None
    form = schema_form_class({"type": "object", "properties": {"ghi_chu": spec}})
    assert form.base_fields["ghi_chu"].widget.attrs["maxlength"] == "500"
