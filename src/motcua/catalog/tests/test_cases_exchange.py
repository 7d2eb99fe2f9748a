"""Cases, conditional documents, fees per case and result types through the JSON and XLSX format."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.utils import translation

from motcua.catalog.constants import CATALOG_FORMAT
from motcua.catalog.exceptions import CatalogImportRejected
from motcua.catalog.models import Fee, Procedure, ProcedureCase, ProcedureVersion, RequiredDocument, ResultType
from motcua.catalog.selectors import catalog_export
from motcua.catalog.services import catalog_import
from motcua.catalog.tests.cases_catalog import two_case_catalog
from motcua.catalog.xlsx import catalog_from_xlsx, catalog_to_xlsx
from tests.factories import row_counts, small_catalog


def birth_version() -> ProcedureVersion:
    version = Procedure.objects.get(code="1.001193").current_version
    assert version is not None
    return version


def wipe_catalog() -> None:
    Procedure.objects.update(current_version=None)
    Procedure.objects.all().delete()


def test_two_cases_and_conditional_documents_are_imported(province) -> None:
    catalog_import(actor=None, document=two_case_catalog())

    version = birth_version()
    assert [
        (c.code, c.name, c.effective_time(), c.effective_online_mode(), c.selector) for c in version.cases.all()
    ] == [
        ("dung-han", "Đăng ký khai sinh đúng hạn", (version.time_amount, "working_days"), "full", {}),
        (
            "qua-han",
            "Đăng ký khai sinh quá hạn",
            (ProcedureCase.objects.get(code="qua-han").time_amount, "working_days"),
            "partial",
            {"field": "late_registration", "equals": True},
        ),
    ]
    assert str(ProcedureCase.objects.get(code="qua-han").time_amount) == "3.00"
    documents = version.required_documents.prefetch_related("cases")
    assert [(d.name, d.requirement, d.group, [c.code for c in d.cases.all()]) for d in documents] == [
        ("Tờ khai đăng ký khai sinh", "always", "", []),
        ("Giấy chứng sinh", "always", "", []),
        ("Văn bản ủy quyền", "conditional", "", []),
        ("Giấy tờ chứng minh nơi cư trú", "conditional", "", []),
        ("Hộ chiếu", "one_of", "giay-to-tuy-than", []),
        ("Thẻ căn cước", "one_of", "giay-to-tuy-than", []),
        ("Giấy tờ chứng minh việc sinh", "always", "", ["qua-han"]),
    ]
    assert documents[2].condition == {"field": "submitted_by_authorised_person", "equals": True}
    fees = version.fees.prefetch_related("cases")
    assert [(f.amount, f.collected_at, f.exemptions, [c.code for c in f.cases.all()]) for f in fees] == [
        (0, "reception", "Miễn lệ phí", ["dung-han"]),
        (5000, "submission", "", ["qua-han"]),
    ]
    assert list(version.result_types.values_list("code", "name", "validity_months")) == [
        ("GKS", "Giấy khai sinh", None),
        ("TLKS", "Bản sao Trích lục khai sinh", 6),
    ]


@pytest.mark.parametrize("through_xlsx", [False, True])
def test_export_import_export_is_unchanged(province, through_xlsx: bool) -> None:
    catalog_import(actor=None, document=two_case_catalog())
    first = catalog_export()
    assert first["format"] == CATALOG_FORMAT == "motcua.catalog/2"
    wipe_catalog()
    assert (Procedure.objects.count(), ProcedureCase.objects.count(), ResultType.objects.count()) == (0, 0, 0)

    carried = catalog_from_xlsx(catalog_to_xlsx(first)) if through_xlsx else copy.deepcopy(first)
    report = catalog_import(actor=None, document=carried)

    assert report.created == 3
    assert catalog_export() == first
    assert catalog_import(actor=None, document=carried).unchanged == 3


def test_a_first_format_file_still_imports_with_its_result_text(province) -> None:
    document = small_catalog()
    document["format"] = "motcua.catalog/1"
    catalog_import(actor=None, document=document)
    assert list(ResultType.objects.values_list("version__procedure__code", "code", "name")) == [
        ("1.001193", "", "Giấy khai sinh")
    ]
    assert RequiredDocument.objects.exclude(requirement="always").count() == 0


def _unknown_case_on_document(d: dict[str, Any]) -> None:
    d["procedures"][0]["required_documents"][6]["cases"] = ["qua-han", "tre-bi-bo-roi"]


def _unknown_case_on_fee(d: dict[str, Any]) -> None:
    d["procedures"][0]["fees"][1]["cases"] = ["qua_han"]


def _condition_on_missing_field(d: dict[str, Any]) -> None:
    d["procedures"][0]["required_documents"][2]["condition"] = {"field": "nguoi_duoc_uy_quyen", "equals": True}


def _single_member_group(d: dict[str, Any]) -> None:
    del d["procedures"][0]["required_documents"][5]


def _selector_on_missing_field(d: dict[str, Any]) -> None:
    d["procedures"][0]["cases"][1]["selector"] = {"field": "qua_han", "equals": True}


def _conditional_without_label(d: dict[str, Any]) -> None:
    d["procedures"][0]["required_documents"][3]["condition_label"] = ""


def _bad_fee_moment(d: dict[str, Any]) -> None:
    d["procedures"][0]["fees"][0]["collected_at"] = "later"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            _unknown_case_on_document,
            "procedures[1].required_documents[7]: case “tre-bi-bo-roi” is not one of this procedure's cases.",
        ),
        (_unknown_case_on_fee, "procedures[1].fees[2]: case “qua_han” is not one of this procedure's cases."),
        (
            _condition_on_missing_field,
            "procedures[1].required_documents[3]: the condition is on “nguoi_duoc_uy_quyen”, "
            "which is not a field of the e-form.",
        ),
        (
            _single_member_group,
            "procedures[1].required_documents[5]: group “giay-to-tuy-than” has a single document; "
            "“one of” needs at least two.",
        ),
        (
            _selector_on_missing_field,
            "procedures[1].cases[2]: the case is chosen by “qua_han”, which is not a field of the e-form.",
        ),
        (
            _conditional_without_label,
            "procedures[1].required_documents[4]: a conditional document needs its condition in words "
            "(condition_label).",
        ),
        (
            _bad_fee_moment,
            "procedures[1].fees[1]: “collected_at” “later” is not one of submission, reception, return.",
        ),
    ],
)
def test_a_bad_case_is_reported_with_its_place_and_nothing_is_imported(province, mutate, message) -> None:
    document = two_case_catalog()
    mutate(document)
    before = row_counts()

    with translation.override("en"), pytest.raises(CatalogImportRejected) as caught:
        catalog_import(actor=None, document=document)

    assert caught.value.details == {"procedures[1] (1.001193)": [message]}
    assert row_counts() == before
    assert Procedure.objects.count() == 0


def test_xlsx_errors_name_the_sheet_and_row_of_the_case_part(province) -> None:
    catalog_import(actor=None, document=two_case_catalog())
    exported = catalog_export()
    exported["procedures"][0]["required_documents"][2]["condition"] = {"field": "khong_co", "equals": True}
    exported["procedures"][0]["fees"][0]["cases"] = ["khong-co"]
    exported["procedures"][0]["cases"][1]["selector"] = {"field": "cung_khong_co", "equals": 1}
    before = row_counts()

    with translation.override("vi"), pytest.raises(CatalogImportRejected) as caught:
        catalog_import(actor=None, document=catalog_from_xlsx(catalog_to_xlsx(exported)))

    assert caught.value.details == {
        "procedures!2 (1.001193)": [
            "cases!3: trường hợp được chọn theo “cung_khong_co”, nhưng tờ khai điện tử không có trường này.",
            "documents!4: điều kiện dựa trên “khong_co”, nhưng tờ khai điện tử không có trường này.",
            "fees!2: trường hợp “khong-co” không thuộc các trường hợp của thủ tục này.",
        ]
    }
    assert row_counts() == before
    assert (Fee.objects.count(), RequiredDocument.objects.count()) == (
        before["catalog.Fee"],
        before["catalog.RequiredDocument"],
    )


def test_the_documented_example_imports(province) -> None:
    import json
    from pathlib import Path

    text = (Path(__file__).resolve().parents[4] / "docs" / "catalog-format.md").read_text()
    example = json.loads(text.split("```json", 1)[1].split("```", 1)[0])
    example["procedures"][0]["agencies"] = []  # the test province has other agency codes

    catalog_import(actor=None, document=example)

    version = birth_version()
    assert [c.code for c in version.cases.all()] == ["dung-han", "qua-han"]
    assert list(version.required_documents.values_list("requirement", flat=True)) == [
        "always",
        "conditional",
        "conditional",
        "one_of",
        "one_of",
    ]


def test_a_new_draft_copies_the_cases_and_their_links(province) -> None:
    from motcua.catalog.selectors import version_content
    from motcua.catalog.services import procedure_draft_create

    catalog_import(actor=None, document=two_case_catalog())
    published = birth_version()

    draft = procedure_draft_create(actor=None, procedure=published.procedure)

    assert draft.pk != published.pk
    assert version_content(draft) == version_content(published)
    assert [c.code for c in draft.cases.all()] == ["dung-han", "qua-han"]
    assert set(ProcedureCase.objects.filter(documents__version=draft).values_list("version", flat=True)) == {draft.pk}


def test_a_workbook_row_of_an_unknown_procedure_is_reported_not_dropped(province) -> None:
    exported = two_case_catalog()
    workbook_document = catalog_from_xlsx(catalog_to_xlsx(exported))
    # A typo in procedure_code: the fee row would silently belong to no procedure.
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(catalog_to_xlsx(exported)))
    book["fees"]["A3"] = "1.00193"
    out = io.BytesIO()
    book.save(out)
    before = row_counts()

    with translation.override("en"), pytest.raises(CatalogImportRejected) as caught:
        catalog_import(actor=None, document=catalog_from_xlsx(out.getvalue()))

    assert caught.value.details == {"fees!3": ["No procedure with code “1.00193” in the procedures sheet."]}
    assert row_counts() == before
    assert workbook_document["_unattached"] == {}


def test_a_case_named_twice_on_a_document_is_linked_once(province) -> None:
    document = two_case_catalog()
    document["procedures"][0]["required_documents"][6]["cases"] = ["qua-han", "qua-han"]
    catalog_import(actor=None, document=document)
    assert catalog_export()["procedures"][0]["required_documents"][6]["cases"] == ["qua-han"]
