"""POST /api/v1/dossiers follows the procedure's case and document rules (issue 12, item 2)."""

import pytest

from motcua.api.tests.test_dossier_api import ENCODED, client_for
from motcua.workflow.tests.test_intake_cases import cases, state  # noqa: F401 - the fixture
from tests.openapi import assert_matches_spec

pytestmark = pytest.mark.usefixtures("monday_morning")


def body(cases, names: list[str], **extra) -> dict:  # noqa: F811
    return {
        "procedure_code": "1.001193",
        "agency_code": "H99.101",
        "form_data": {"ho_ten_tre": "Nguyễn Văn An", "ngay_sinh": "2026-03-01", **extra.pop("answers", {})},
        "documents": [
            {"name": f"{i}.pdf", "required_document": cases[name].pk, "content_base64": ENCODED}
            for i, name in enumerate(names)
        ],
        **extra,
    }


BASIC = ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]


def test_a_case_is_chosen_by_code_and_the_dossier_carries_it(people, cases) -> None:  # noqa: F811
    response = client_for(people["citizen"]).post(
        "/api/v1/dossiers",
        body(cases, [*BASIC, "Giấy cam đoan về việc sinh"], case="qua-han"),
        format="json",
    )
    assert response.status_code == 201
    assert (response.json()["case_code"], response.json()["case_name"]) == ("qua-han", "Đăng ký khai sinh quá hạn")
    assert [d["form"] for d in response.json()["documents"]] == ["electronic"] * 3
    assert_matches_spec(response, "/api/v1/dossiers", "post")


def test_missing_documents_and_an_unknown_case_are_stable_errors_and_change_nothing(people, cases) -> None:  # noqa: F811
    api = client_for(people["citizen"])
    before = state()

    missing = api.post(
        "/api/v1/dossiers", body(cases, BASIC, answers={"submitted_by_authorised_person": True}), format="json"
    )
    assert (missing.status_code, missing.json()["code"], missing.json()["errors"]) == (
        400,
        "dossier_incomplete",
        {"documents": ["Văn bản ủy quyền"]},
    )
    ticked = api.post(
        "/api/v1/dossiers",
        body(cases, BASIC, conditions_met=[cases["Giấy tờ chứng minh nơi cư trú"].pk]),
        format="json",
    )
    assert (ticked.status_code, ticked.json()["errors"]) == (400, {"documents": ["Giấy tờ chứng minh nơi cư trú"]})
    unknown = api.post("/api/v1/dossiers", body(cases, BASIC, case="khong-co"), format="json")
    assert (unknown.status_code, unknown.json()["code"]) == (400, "unknown_case")
    assert state() == before
