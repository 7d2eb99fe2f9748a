"""Submission and reception follow the procedure's case (issue 12, item 2): only what applies to the
case and the answers is required, server-side; the dossier keeps its case; the due time is the case's."""

import copy
import os
from datetime import datetime
from typing import Any

import pytest
from django.conf import settings

from motcua.catalog.exceptions import UnknownCase
from motcua.catalog.models import Procedure, RequiredDocument
from motcua.catalog.services import catalog_import
from motcua.dossiers.exceptions import NotOffered
from motcua.workflow.services import (
    IncompleteDossier,
    dossier_receive,
    dossier_receive_at_desk,
    dossier_submit_online,
)
from tests.factories import row_counts, small_catalog
from tests.intake import HCM, birth_application, pdf

SCHEMA = {
    "type": "object",
    "properties": {
        "ho_ten_tre": {"type": "string", "title": "Họ tên trẻ"},
        "ngay_sinh": {"type": "string", "format": "date", "title": "Ngày sinh"},
        "submitted_by_authorised_person": {"type": "boolean", "title": "Nộp qua người được ủy quyền"},
        "late_registration": {"type": "boolean", "title": "Đăng ký quá hạn"},
    },
    "required": ["ho_ten_tre", "ngay_sinh"],
}


def _document(name: str, **fields: Any) -> dict[str, Any]:
    row = {
        "name": name,
        "requirement": "always",
        "condition_label": "",
        "condition": {},
        "group": "",
        "cases": [],
        "form": "original",
        "quantity": 1,
        "document_type_code": "",
        "reusable": False,
        "note": "",
    }
    return {**row, **fields}


def cased_catalog() -> dict[str, Any]:
    document = small_catalog()
    birth = document["procedures"][0]
    birth["form_schema"] = copy.deepcopy(SCHEMA)
    birth["cases"] = [
        {
            "code": "dung-han",
            "name": "Đăng ký khai sinh đúng hạn",
            "processing_time": {"amount": None, "unit": ""},
            "online_mode": "",
            "description": "",
            "selector": {},
        },
        {
            "code": "qua-han",
            "name": "Đăng ký khai sinh quá hạn",
            "processing_time": {"amount": "3", "unit": "working_days"},
            "online_mode": "",
            "description": "",
            "selector": {"field": "late_registration", "equals": True},
        },
        {
            "code": "nuoc-ngoai",
            "name": "Trẻ sinh ở nước ngoài",
            "processing_time": {"amount": None, "unit": ""},
            "online_mode": "none",
            "description": "",
            "selector": {},
        },
    ]
    birth["required_documents"] = [
        _document("Tờ khai đăng ký khai sinh", form="electronic"),
        _document("Giấy chứng sinh"),
        _document(
            "Văn bản ủy quyền",
            requirement="conditional",
            condition_label="Trường hợp nộp hồ sơ thông qua người được ủy quyền",
            condition={"field": "submitted_by_authorised_person", "equals": True},
            form="certified_copy",
        ),
        _document(
            "Giấy tờ chứng minh nơi cư trú",
            requirement="conditional",
            condition_label="Trường hợp thông tin cư trú chưa có trong Cơ sở dữ liệu quốc gia về dân cư",
            form="copy",
        ),
        _document("Văn bản của người làm chứng", requirement="one_of", group="viec-sinh", cases=["qua-han"]),
        _document("Giấy cam đoan về việc sinh", requirement="one_of", group="viec-sinh", cases=["qua-han"]),
    ]
    return document


@pytest.fixture
def cases(people: dict[str, Any]) -> dict[str, RequiredDocument]:
    catalog_import(actor=None, document=cased_catalog())  # a new published version of 1.001193
    version = Procedure.objects.get(code="1.001193").current_version
    return {d.name: d for d in RequiredDocument.objects.filter(version=version)}


def state() -> dict[str, Any]:
    counts: dict[str, Any] = dict(row_counts())
    counts["files"] = sum(len(files) for _root, _dirs, files in os.walk(settings.MEDIA_ROOT))
    return counts


def application(docs: dict[str, RequiredDocument], names: list[str], **answers: Any) -> Any:
    return birth_application(
        form_data={"ho_ten_tre": "Nguyễn Văn An", "ngay_sinh": "2026-03-01", **answers},
        uploads=[pdf(f"{i}.pdf", docs[name].pk) for i, name in enumerate(names)],
    )


BASIC = ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]


def test_a_mother_submits_without_an_authorisation_letter(people, cases, monday_morning) -> None:
    dossier = dossier_submit_online(
        actor=people["citizen"], application=application(cases, BASIC, submitted_by_authorised_person=False)
    )
    assert (dossier.case_code, dossier.case_name) == ("dung-han", "Đăng ký khai sinh đúng hạn")
    assert list(dossier.documents.order_by("id").values_list("name", "form")) == [
        ("Tờ khai đăng ký khai sinh", "electronic"),
        ("Giấy chứng sinh", "electronic"),
    ]


def test_through_an_authorised_person_the_letter_is_required_and_nothing_is_created(
    people, cases, monday_morning
) -> None:
    before = state()
    with pytest.raises(IncompleteDossier) as caught:
        dossier_submit_online(
            actor=people["citizen"], application=application(cases, BASIC, submitted_by_authorised_person=True)
        )
    assert (caught.value.code, caught.value.details) == ("dossier_incomplete", {"documents": ["Văn bản ủy quyền"]})
    assert state() == before

    dossier = dossier_submit_online(
        actor=people["citizen"],
        application=application(cases, [*BASIC, "Văn bản ủy quyền"], submitted_by_authorised_person=True),
    )
    assert dossier.documents.count() == 3


def test_a_file_for_a_document_the_case_does_not_ask_for_is_refused(people, cases, monday_morning) -> None:
    before = state()
    with pytest.raises(Exception) as caught:
        dossier_submit_online(
            actor=people["citizen"], application=application(cases, [*BASIC, "Văn bản của người làm chứng"])
        )
    assert caught.value.code == "validation_failed"
    assert state() == before


def test_a_condition_in_words_is_required_once_ticked(people, cases, monday_morning) -> None:
    residence = cases["Giấy tờ chứng minh nơi cư trú"]
    ticked = application(cases, BASIC)
    ticked.conditions_met = {residence.pk}
    with pytest.raises(IncompleteDossier) as caught:
        dossier_submit_online(actor=people["citizen"], application=ticked)
    assert caught.value.details == {"documents": ["Giấy tờ chứng minh nơi cư trú"]}
    # Not ticked: it may be given, and is not required.
    assert dossier_submit_online(actor=people["citizen"], application=application(cases, BASIC)).documents.count() == 2


def test_the_answers_select_the_late_case_its_one_of_group_and_its_time(people, cases, monday_morning) -> None:
    before = state()
    with pytest.raises(IncompleteDossier) as caught:
        dossier_submit_online(actor=people["citizen"], application=application(cases, BASIC, late_registration=True))
    assert caught.value.details == {
        "documents": ["Một trong các giấy tờ sau: Văn bản của người làm chứng; Giấy cam đoan về việc sinh"]
    }
    assert state() == before

    late = application(cases, [*BASIC, "Giấy cam đoan về việc sinh"], late_registration=True)
    dossier = dossier_submit_online(actor=people["citizen"], application=late)
    assert dossier.case_code == "qua-han"
    dossier = dossier_receive(actor=people["desk"], code=dossier.code)
    # The case's 3 working days, not the version's 1: Monday 09:00 → Thursday 09:00.
    assert dossier.due_at == datetime(2026, 3, 12, 9, 0, tzinfo=HCM)


def test_an_unknown_case_and_a_case_not_offered_online_are_refused(people, cases, monday_morning) -> None:
    before = state()
    unknown = application(cases, BASIC)
    unknown.case = "khong-co"
    with pytest.raises(UnknownCase) as caught:
        dossier_submit_online(actor=people["citizen"], application=unknown)
    assert caught.value.code == "unknown_case"
    abroad = application(cases, BASIC)
    abroad.case = "nuoc-ngoai"
    with pytest.raises(NotOffered):
        dossier_submit_online(actor=people["citizen"], application=abroad)
    assert state() == before


def test_the_desk_records_each_paper_in_its_true_form(people, cases, monday_morning) -> None:
    walk_in = application(cases, ["Tờ khai đăng ký khai sinh"], submitted_by_authorised_person=True)
    walk_in.case = "dung-han"
    before = state()
    with pytest.raises(IncompleteDossier) as caught:
        dossier_receive_at_desk(
            officer=people["desk"],
            applicant=people["citizen"],
            desk_code="H99.101.MC",
            application=walk_in,
            originals_seen=[],
            papers={cases["Giấy chứng sinh"].pk: "original"},
        )
    assert caught.value.details == {"documents": ["Văn bản ủy quyền"]}
    assert state() == before

    dossier = dossier_receive_at_desk(
        officer=people["desk"],
        applicant=people["citizen"],
        desk_code="H99.101.MC",
        application=walk_in,
        originals_seen=[],
        papers={cases["Giấy chứng sinh"].pk: "original", cases["Văn bản ủy quyền"].pk: "certified_copy"},
    )
    assert (dossier.case_code, dossier.status) == ("dung-han", "received")
    assert list(dossier.documents.order_by("id").values_list("name", "form", "original_seen")) == [
        ("Tờ khai đăng ký khai sinh", "electronic", False),
        ("Giấy chứng sinh", "original", True),
        ("Văn bản ủy quyền", "certified_copy", False),
    ]


def test_the_receipt_names_the_case_and_prints_its_own_legal_time(people, cases, monday_morning) -> None:
    from motcua.dossiers.slips import SlipKind, slip_context

    late = application(cases, [*BASIC, "Giấy cam đoan về việc sinh"], late_registration=True)
    dossier = dossier_submit_online(actor=people["citizen"], application=late)
    dossier = dossier_receive(actor=people["desk"], code=dossier.code)
    context = slip_context(dossier, SlipKind.RECEIPT)

    assert context["processing_time"] == "3 ngày làm việc"  # the case's, not the version's 1 day
    assert [row.name for row in context["documents"]] == [*BASIC, "Giấy cam đoan về việc sinh"]


def test_the_control_slip_prints_the_case_s_own_legal_time(people, cases, monday_morning) -> None:
    from motcua.workflow.books import control_slip_context

    late = application(cases, [*BASIC, "Giấy cam đoan về việc sinh"], late_registration=True)
    dossier = dossier_receive(
        actor=people["desk"], code=dossier_submit_online(actor=people["citizen"], application=late).code
    )

    assert control_slip_context(dossier)["processing_time"] == "3 ngày làm việc"  # not the version's 1 day
