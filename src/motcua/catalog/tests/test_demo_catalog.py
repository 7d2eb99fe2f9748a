"""The demo catalog carries the law's cases and conditional documents, and the rules read them right."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from motcua.agencies.services import agency_import
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.requirements import case_for, document_rules, missing_documents
from motcua.catalog.selectors import catalog_export
from motcua.catalog.services import catalog_import
from motcua.catalog.xlsx import catalog_from_xlsx, catalog_to_xlsx

DATA = Path(__file__).resolve().parents[2] / "demo" / "demo_data"


def read(name: str) -> Any:
    return json.loads((DATA / name).read_text())


@pytest.fixture
def demo_catalog(db: Any) -> dict[str, Any]:
    agency_import(actor=None, rows=list(enumerate(read("agencies.json"), start=1)))
    document = read("catalog.json")
    catalog_import(actor=None, document=document)
    return document


def version_of(code: str) -> ProcedureVersion:
    version = (
        ProcedureVersion.objects.filter(procedure__code=code, status="published")
        .prefetch_related("cases", "required_documents__cases")
        .get()
    )
    return version


def test_birth_registration_asks_the_letter_only_through_an_authorised_person(demo_catalog) -> None:
    version = version_of("1.001193")
    cases = list(version.cases.all())
    documents = list(version.required_documents.all())
    mother = {"quan_he_voi_tre": "Mẹ", "submitted_by_authorised_person": False, "late_registration": False}

    case = case_for(cases, chosen="", answers=mother)
    rules = document_rules(documents, case=case, answers=mother, conditions_met=set())

    assert case is not None and case.code == "dung-han"
    assert [(r.document.name, r.mandatory, r.condition_label) for r in rules] == [
        ("Tờ khai đăng ký khai sinh theo mẫu", True, ""),
        ("Giấy chứng sinh hoặc giấy tờ thay thế Giấy chứng sinh", True, ""),
        (
            "Giấy tờ chứng minh nơi cư trú",
            False,
            "Trường hợp thông tin cư trú chưa có trong Cơ sở dữ liệu quốc gia về dân cư",
        ),
    ]
    authorised = {**mother, "submitted_by_authorised_person": True}
    rules = document_rules(documents, case=case, answers=authorised, conditions_met=set())
    assert missing_documents(rules, given={documents[0].pk, documents[1].pk}) == ["Văn bản ủy quyền"]


def test_late_birth_registration_is_chosen_by_the_e_form_and_has_its_fee(demo_catalog) -> None:
    version = version_of("1.001193")
    case = case_for(list(version.cases.all()), chosen="", answers={"late_registration": True})
    assert case is not None and case.code == "qua-han"
    fees = version.fees.prefetch_related("cases")
    assert [(f.name, f.amount, [c.code for c in f.cases.all()], f.collected_at) for f in fees] == [
        ("Lệ phí đăng ký khai sinh", 0, ["dung-han"], "reception"),
        ("Lệ phí đăng ký khai sinh quá hạn", 8000, ["qua-han"], "reception"),
        ("Phí cấp bản sao Trích lục khai sinh (nếu có yêu cầu)", 8000, [], "return"),
    ]


def test_criminal_record_proxy_letter_only_for_record_number_one(demo_catalog) -> None:
    version = version_of("3.000333")
    cases = list(version.cases.all())
    documents = list(version.required_documents.all())
    answers = {"loai_phieu": "Phiếu số 2", "submitted_by_authorised_person": True}
    second = case_for(cases, chosen="", answers=answers)
    first = case_for(cases, chosen="", answers={**answers, "loai_phieu": "Phiếu số 1"})
    assert [r.document.name for r in document_rules(documents, case=second, answers=answers, conditions_met=set())] == [
        "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp theo mẫu"
    ]
    assert [
        (r.document.name, r.mandatory)
        for r in document_rules(documents, case=first, answers=answers, conditions_met=set())
    ] == [("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp theo mẫu", True), ("Văn bản ủy quyền", True)]


def test_no_demo_document_keeps_its_condition_in_its_name(demo_catalog) -> None:
    names = [d["name"] for p in demo_catalog["procedures"] for d in p["required_documents"]]
    assert [n for n in names if "(trường hợp" in n.lower() or "nếu có" in n.lower()] == []
    assert Procedure.objects.filter(current_version__isnull=False).count() == 57


def test_the_demo_catalog_round_trips_through_xlsx(demo_catalog) -> None:
    exported = catalog_export()
    report = catalog_import(actor=None, document=catalog_from_xlsx(catalog_to_xlsx(exported)))
    assert (report.unchanged, report.new_versions) == (57, 0)
