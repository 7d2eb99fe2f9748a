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


def _extra(code: str, name: str, sector: str = "HOTICH") -> dict:
    return {
        "code": code,
        "name": name,
        "sector": sector,
        "levels": ["commune"],
        "online_mode": "full",
        "processing_time": {"amount": "5", "unit": "working_days"},
        "agencies": ["H99.101"],
    }


@pytest.fixture
def wider_catalog(province) -> None:
    from motcua.catalog.services import catalog_import
    from tests.factories import small_catalog

    document = small_catalog()
    document["sectors"] += [{"code": "DATDAI", "name": "Đất đai"}, {"code": "CUTRU", "name": "Cư trú"}]
    document["procedures"] += [
        _extra(
            "1.012783", "Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", "DATDAI"
        ),
        _extra("1.012784", "Tách thửa đất hoặc hợp thửa đất", "DATDAI"),
        _extra("2.001255", "Cấp thẻ Căn cước cho người từ đủ 14 tuổi trở lên", "CUTRU"),
        _extra("3.000333", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam"),
        _extra("1.004884", "Thủ tục đăng ký lại khai sinh"),
        _extra("9.000001", "Công nhận giải thưởng mỹ thuật"),
    ]
    catalog_import(actor=None, document=document)


def codes(query: str) -> list[str]:
    return list(procedures_search(query=query).values_list("code", flat=True))


@pytest.mark.parametrize(
    "query", ["đăng kí khai sinh", "dang ki khai sinh", "Đăng Kí Khai Sinh", "đăng ký khai sinh", "dang ky khai sinh"]
)
def test_i_and_y_are_one_spelling_after_k_l_m_s_t_h_qu(wider_catalog, query) -> None:
    assert codes(query) == ["1.001193", "2.000528", "1.004884"]


def test_i_for_y_in_li_and_mi(wider_catalog) -> None:
    assert codes("phiếu lí lịch tư pháp") == ["3.000333"]
    assert codes("mĩ thuật") == ["9.000001"]
    assert codes("my thuat") == ["9.000001"]


def test_i_and_y_stay_distinct_after_a_vowel_or_another_onset() -> None:
    from motcua.core.text import spelling_key, spelling_variants

    assert spelling_variants("ky") == spelling_variants("ki") == ("ki", "ky")
    assert spelling_variants("quy") == ("qui", "quy")
    assert spelling_variants("tai") == ("tai",)  # "tai" (ear) is not "tay" (hand)
    assert spelling_variants("thi") == ("thi",)
    assert spelling_variants("y") == ("y",)
    assert spelling_key("ly") == "li"


def test_common_phrasings_find_what_they_mean(wider_catalog) -> None:
    assert codes("làm giấy khai sinh") == ["1.001193", "2.000528", "1.004884"]
    assert codes("lam giay khai sinh") == ["1.001193", "2.000528", "1.004884"]
    assert codes("cccd") == ["2.001255"]
    assert codes("CCCD") == ["2.001255"]
    assert codes("sổ đỏ") == ["1.012783"]
    assert codes("cấp đổi sổ đỏ") == ["1.012783"]
    assert codes("sổ hồng") == ["1.012783"]
    assert codes("tách sổ đỏ") == ["1.012784"]
    assert codes("lý lịch tư pháp") == ["3.000333"]
    assert codes("lí lịch tư pháp") == ["3.000333"]


def test_a_phrasing_keeps_what_the_words_themselves_find(wider_catalog) -> None:
    # "giấy khai sinh" is no synonym of anything here: it finds no procedure whose words it lacks.
    assert codes("sổ đỏ xyz") == []
    assert codes("căn cước") == ["2.001255"]


def test_the_synonym_list_is_data_with_the_common_phrasings() -> None:
    from motcua.catalog.search_terms import SYNONYMS_FILE, synonyms

    pairs = dict(synonyms())
    assert SYNONYMS_FILE.suffix == ".json"
    assert pairs[("lam", "giay", "khai", "sinh")] == ("dang", "ky", "khai", "sinh")
    assert pairs[("cccd",)] == ("can", "cuoc")
    assert pairs[("so", "do")] == ("giay", "chung", "nhan", "quyen", "su", "dung", "dat")
    assert len(set(pairs.values())) >= 15


def test_a_synonym_list_edited_as_data_changes_the_search(wider_catalog, tmp_path, monkeypatch) -> None:
    import json

    from motcua.catalog import search_terms

    edited = tmp_path / "synonyms.json"
    edited.write_text(json.dumps({"synonyms": [{"phrases": ["giấy tờ nhà đất"], "means": "Giấy chứng nhận"}]}))
    monkeypatch.setattr(search_terms, "SYNONYMS_FILE", edited)

    assert codes("giấy tờ nhà đất") == ["1.012783"]
    assert codes("sổ hồng") == []  # found with the shipped list, not with the edited one
