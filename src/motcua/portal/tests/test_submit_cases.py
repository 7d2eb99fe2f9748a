"""The online submission page follows the procedure's cases and conditional documents (issue 12)."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers.models import Dossier
from motcua.portal.tests.test_submit import URL, state
from motcua.workflow.tests.test_intake_cases import cases  # noqa: F401 - the fixture
from tests.intake import PDF

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def post(docs: dict[str, Any], names: list[str], **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "action": "submit",
        "agency": "H99.101",
        "eform-ho_ten_tre": "Nguyễn Văn An",
        "eform-ngay_sinh": "2026-03-01",
        "return_method": "electronic",
        "confirm": "on",
    }
    for name in names:
        data[f"document_{docs[name].pk}"] = SimpleUploadedFile(f"{docs[name].pk}.pdf", PDF)
    data.update(extra)
    return data


BASIC = ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]


def test_the_page_offers_the_cases_and_shows_each_document_with_its_rule(client, people, cases) -> None:  # noqa: F811
    client.force_login(people["citizen"])
    response = client.get(URL, **EN)
    form, files = response.context["form"], response.context["files"]

    assert form.fields["case"].choices == [
        ("dung-han", "Đăng ký khai sinh đúng hạn"),
        ("qua-han", "Đăng ký khai sinh quá hạn"),
        ("nuoc-ngoai", "Trẻ sinh ở nước ngoài"),
    ]
    assert form["case"].value() is None  # three cases, no answer selects one
    rows = {
        row.document.name: (row.applies, row.mandatory, row.label_only, row.group) for _f, row, _s, _a in files.rows
    }
    assert rows == {
        "Tờ khai đăng ký khai sinh": (True, True, False, ""),
        "Giấy chứng sinh": (True, True, False, ""),
        "Văn bản ủy quyền": (True, False, False, ""),  # not answered yet
        "Giấy tờ chứng minh nơi cư trú": (True, False, True, ""),
        # No case chosen yet: the late case's documents are listed too (the script hides them once a
        # case is chosen; the page sent back decides by the case).
        "Văn bản của người làm chứng": (True, False, False, "viec-sinh"),
        "Giấy cam đoan về việc sinh": (True, False, False, "viec-sinh"),
    }
    page = response.content.decode()
    assert "Văn bản ủy quyền (Trường hợp nộp hồ sơ thông qua người được ủy quyền)" in page
    assert "This case applies to me" in page and "one of the following documents" in page
    assert 'data-condition="{&quot;field&quot;: &quot;submitted_by_authorised_person&quot;' in page


def test_the_letter_is_required_only_through_an_authorised_person(client, people, cases, monday_morning) -> None:  # noqa: F811
    client.force_login(people["citizen"])
    before = state()
    refused = client.post(URL, post(cases, BASIC, **{"eform-submitted_by_authorised_person": "on"}), **EN)

    assert refused.status_code == 400
    letter = cases["Văn bản ủy quyền"]
    assert refused.context["files"].errors == {f"document_{letter.pk}": ["This field is required."]}
    assert state() == before

    response = client.post(URL, post(cases, BASIC))
    assert response.status_code == 302
    assert Dossier.objects.get().case_code == "dung-han"


def test_a_ticked_condition_and_a_one_of_group_are_asked_for(client, people, cases, monday_morning) -> None:  # noqa: F811
    client.force_login(people["citizen"])
    residence = cases["Giấy tờ chứng minh nơi cư trú"]
    before = state()
    ticked = client.post(URL, post(cases, BASIC, **{f"applies_{residence.pk}": "on"}), **EN)
    assert ticked.context["files"].errors == {f"document_{residence.pk}": ["This field is required."]}

    late = client.post(URL, post(cases, BASIC, case="qua-han"), **EN)
    assert late.status_code == 400
    assert late.context["files"].non_field_errors() == [
        "Give one of the following documents: Văn bản của người làm chứng; Giấy cam đoan về việc sinh."
    ]
    assert state() == before

    done = client.post(URL, post(cases, [*BASIC, "Giấy cam đoan về việc sinh"], case="qua-han"))
    assert done.status_code == 302
    dossier = Dossier.objects.get()
    assert (dossier.case_code, dossier.documents.count()) == ("qua-han", 3)


def test_the_answers_preselect_the_case(client, people, cases) -> None:  # noqa: F811
    from motcua.catalog.models import Procedure
    from motcua.dossiers.drafts import DraftData, draft_save

    procedure = Procedure.objects.get(code="1.001193")
    draft_save(applicant=people["citizen"], procedure=procedure, data=DraftData(form_data={"late_registration": True}))
    client.force_login(people["citizen"])
    response = client.get(URL)
    assert response.context["form"]["case"].value() == "qua-han"
    rows = {row.document.name: row.applies for _f, row, _s, _a in response.context["files"].rows}
    assert rows["Giấy cam đoan về việc sinh"] is True
