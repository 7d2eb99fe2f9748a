from datetime import date

import pytest
from django.core.exceptions import ValidationError

from motcua.core.identifiers import (
    agency_code_style,
    mask,
    personal_id_problem,
    validate_procedure_code,
    validate_tax_code,
)
from motcua.core.text import fold, fold_words


@pytest.mark.parametrize(
    ("code", "style"),
    [
        ("H56", "current"),
        ("H56.14", "current"),
        ("H55.242", "current"),
        ("H56.14.01", "current"),
        ("000.00.00.H56", "legacy"),
        ("000.00.14.H56", "legacy"),
        ("h56", None),
        ("56.14", None),
        ("H5", None),
        ("H56..14", None),
        ("H56.", None),
        ("", None),
        ("H56." + "1" * 40, None),
    ],
)
def test_agency_code_styles(code: str, style: str | None) -> None:
    assert agency_code_style(code) == style


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("042190001234", None),
        ("001203004567", None),
        ("79300012345", "format"),
        ("0421900012345", "format"),
        ("04219000123a", "format"),
        ("000190001234", "region"),
        ("000000000000", "region"),
        ("003190001234", "region"),  # no province has code 003
        ("099190001234", "region"),
        ("096190001234", None),  # Cà Mau
        ("840190001234", None),  # born abroad: a country's code
        ("042499001234", "birth_year"),  # 2199
        ("042399001234", "birth_year"),
    ],
)
def test_personal_id_structure(value: str, problem: str | None) -> None:
    # 0423 99...: century digit 3 = 2000s, year 2099, which is in the future on 2026-11-23
    assert personal_id_problem(value, today=date(2026, 11, 23)) == problem


def test_procedure_and_tax_codes() -> None:
    validate_procedure_code("1.001193")
    validate_tax_code("0101234567")
    validate_tax_code("0101234567-001")
    with pytest.raises(ValidationError):
        validate_procedure_code("1.00119")
    with pytest.raises(ValidationError):
        validate_tax_code("010123456")


def test_fold_strips_vietnamese_diacritics_and_case() -> None:
    assert fold("Thủ tục  Đăng ký KHAI SINH") == "thu tuc dang ky khai sinh"
    assert fold("Chứng thực bản sao từ bản chính") == "chung thuc ban sao tu ban chinh"
    assert fold_words("đất đai, xây-dựng 1.001193") == ["dat", "dai", "xay", "dung", "1.001193"]


def test_mask_keeps_the_last_digits() -> None:
    assert mask("042190001234") == "*********234"
    assert mask("") == ""
