"""The Django admin edits a draft's cases, conditional documents, fees and result types."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from motcua.catalog.constants import VersionStatus
from motcua.catalog.models import Procedure, ProcedureCase, ProcedureVersion, RequiredDocument, ResultType
from motcua.catalog.services import procedure_draft_create
from tests.factories import UserFactory, row_counts


@pytest.fixture
def draft(catalog, client) -> ProcedureVersion:
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return procedure_draft_create(actor=None, procedure=Procedure.objects.get(code="1.001193"))


def form_data(response: Any) -> dict[str, Any]:
    """What the browser would post back: every field of the page's form and inline formsets."""
    data: dict[str, Any] = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms.append(formset.management_form)
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            # Unticked boxes, empty files and empty choices are not sent.
            if value is None or value is False or (not value and not isinstance(value, int | str)):
                continue
            data[form.add_prefix(name)] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    return data


def change_url(version: ProcedureVersion) -> str:
    return reverse("admin:catalog_procedureversion_change", args=[version.pk])


def test_draft_page_has_the_case_parts(client, draft) -> None:
    response = client.get(change_url(draft))
    assert response.status_code == 200
    prefixes = [inline.formset.prefix for inline in response.context["inline_admin_formsets"]]
    assert prefixes == ["cases", "required_documents", "fees", "result_types"]
    document_fields = response.context["inline_admin_formsets"][1].formset.forms[0].fields
    assert {"requirement", "condition_label", "condition", "group", "cases"} <= set(document_fields)


def test_admin_adds_a_case_and_makes_a_document_conditional(client, draft) -> None:
    late = ProcedureCase.objects.create(version=draft, code="qua-han", name="Đăng ký khai sinh quá hạn")
    data = form_data(client.get(change_url(draft)))
    data.update(
        {
            "required_documents-1-requirement": "conditional",
            "required_documents-1-condition_label": "Trường hợp không có Giấy chứng sinh",
            "required_documents-1-condition": '{"field": "ho_ten_tre", "equals": ""}',
            "required_documents-1-cases": [str(late.pk)],
            "result_types-TOTAL_FORMS": "2",
            "result_types-1-position": "1",
            "result_types-1-code": "TLKS",
            "result_types-1-name": "Bản sao Trích lục khai sinh",
            "result_types-1-validity_months": "6",
        }
    )

    response = client.post(change_url(draft), data)

    assert response.status_code == 302, response.context["errors"] if response.context else response
    document = RequiredDocument.objects.get(version=draft, position=1)
    assert (document.requirement, document.condition, [c.code for c in document.cases.all()]) == (
        "conditional",
        {"field": "ho_ten_tre", "equals": ""},
        ["qua-han"],
    )
    assert list(ResultType.objects.filter(version=draft).values_list("code", "validity_months")) == [
        ("", None),
        ("TLKS", 6),
    ]


def test_admin_refuses_a_condition_on_a_missing_field(client, draft) -> None:
    data = form_data(client.get(change_url(draft)))
    data.update(
        {
            "required_documents-1-requirement": "conditional",
            "required_documents-1-condition_label": "Trường hợp ủy quyền",
            "required_documents-1-condition": '{"field": "nguoi_uy_quyen", "equals": true}',
        }
    )
    before = row_counts()

    response = client.post(change_url(draft), data)

    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][1].formset.forms[1].errors
    assert errors == {"condition": ["“nguoi_uy_quyen” không phải là trường của tờ khai điện tử."]}
    assert row_counts() == before
    assert RequiredDocument.objects.get(version=draft, position=1).requirement == "always"


def test_publishing_a_draft_with_a_lone_one_of_document_is_refused(client, draft) -> None:
    RequiredDocument.objects.filter(version=draft, position=1).update(requirement="one_of", group="giay-to")
    url = reverse("admin:catalog_procedureversion_changelist")

    response = client.post(url, {"action": "publish", "_selected_action": [draft.pk]}, follow=True)

    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        f"{draft}: Bản dự thảo có lỗi; chưa được công bố. {draft}.required_documents[2]: nhóm “giay-to” chỉ có một "
        "giấy tờ; “một trong các giấy tờ” cần ít nhất hai."
    ]
    assert ProcedureVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT


def test_a_case_chosen_by_a_missing_field_is_refused_by_the_form(draft) -> None:
    from django.core.exceptions import ValidationError

    case = ProcedureCase(version=draft, code="qua-han", name="Quá hạn", selector={"field": "qua_han", "equals": True})
    with pytest.raises(ValidationError) as caught:
        case.full_clean()
    assert caught.value.message_dict == {"selector": ["“qua_han” không phải là trường của tờ khai điện tử."]}
    case.selector = {"field": "ngay_sinh"}
    with pytest.raises(ValidationError) as caught:
        case.full_clean()
    assert caught.value.message_dict == {"selector": ['Ghi theo dạng {"field": "…", "equals": …}, hoặc để trống.']}
    assert ProcedureCase.objects.filter(version=draft).count() == 0
