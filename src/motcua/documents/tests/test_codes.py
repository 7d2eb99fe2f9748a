"""Digitized document codes and validity dates (pure, no database)."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from motcua.documents import codes


def test_component_code_has_owner_procedure_type_and_a_two_digit_suffix() -> None:
    prefix = codes.component_prefix(owner_id_number="001099012345", procedure_code="1.001193", type_code="cccd")
    assert codes.with_suffix(prefix, 1) == "001099012345.1.001193.CCCD.01"
    assert codes.with_suffix(prefix, 123) == "001099012345.1.001193.CCCD.123"


def test_a_component_without_type_is_other_paper_and_typed_text_is_cleaned() -> None:
    assert codes.component_prefix(owner_id_number="0101234567", procedure_code="2.000001", type_code="") == (
        "0101234567.2.000001.KHAC"
    )
    assert codes.code_part("Giấy tờ / A-1") == "GIYTA1"


def test_result_code_is_owner_then_result_number() -> None:
    prefix = codes.result_prefix(owner_id_number="001099012345", result_number="KQ.H99.000042")
    assert codes.with_suffix(prefix, 2) == "001099012345.KQ.H99.000042.02"


def test_validity_adds_months_and_keeps_the_month_end() -> None:
    assert codes.valid_until(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert codes.valid_until(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert codes.valid_until(date(2026, 1, 15), 12) == date(2027, 1, 15)
    assert codes.valid_until(date(2026, 1, 15), None) is None


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.integers(min_value=0, max_value=240))
def test_validity_is_never_before_the_issue_and_lands_in_the_right_month(day: date, months: int) -> None:
    end = codes.add_months(day, months)
    assert end >= day
    assert (end.year - day.year) * 12 + end.month - day.month == months
