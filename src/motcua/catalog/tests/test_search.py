import pytest

from motcua.catalog.selectors import procedures_search


@pytest.mark.parametrize("query", ["dang ky khai sinh", "Đăng ký khai sinh", "DANG KY  khai sinh", "khai sinh"])
def test_birth_registration_ranks_first_without_diacritics(catalog, query) -> None:
    codes = list(procedures_search(query=query).values_list("code", flat=True))
    assert codes == ["1.001193", "2.000528"]


def test_filters_combine_with_search(catalog) -> None:
    assert list(procedures_search(query="", online_mode="none").values_list("code", flat=True)) == ["2.000815"]
    assert list(procedures_search(level="department").values_list("code", flat=True)) == ["2.000815"]
    assert list(procedures_search(agency="H99.102").values_list("code", flat=True)) == ["1.001193"]
    assert list(procedures_search(sector="CHUNGTHUC", query="sao").values_list("code", flat=True)) == ["2.000815"]
    assert list(procedures_search(query="khai sinh xyz")) == []
    assert list(procedures_search(query="1.001193").values_list("code", flat=True)) == ["1.001193"]
