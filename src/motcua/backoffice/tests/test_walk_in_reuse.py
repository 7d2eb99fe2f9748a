"""The walk-in form proposes what the applicant's data store holds (issue 14 §3); showing it is a staff
read of the store, recorded; the dossier takes the stored documents and its receipt says so."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from motcua.core.models import AuditEntry
from motcua.documents.models import DigitizedDocument, DocumentReuse
from motcua.dossiers.models import Dossier
from motcua.dossiers.slips import SlipKind, slip_html
from tests.factories import make_citizen
from tests.reuse import RE_REGISTRATION, first_dossier, reuse_catalog, specs


@pytest.fixture
def store(people: dict[str, Any], monday_morning: Any) -> dict[str, DigitizedDocument]:
    reuse_catalog()
    first_dossier(people)
    owner = people["citizen"].personal_id
    return {d.type_code: d for d in DigitizedDocument.objects.filter(store__owner_id_number=owner)}


def url(applicant: Any) -> str:
    page = reverse("backoffice:walk-in-dossier", kwargs={"applicant_id": applicant.pk})
    return f"{page}?procedure={RE_REGISTRATION}"


def reads() -> list[tuple[Any, str, str, dict[str, Any]]]:
    rows = AuditEntry.objects.filter(action="data_store_read").order_by("id")
    return [(r.actor_id, r.object_type, r.object_id, r.data) for r in rows]


def test_the_officer_sees_the_applicants_stored_documents_and_the_read_is_recorded(client, people, store) -> None:
    client.force_login(people["desk"])
    docs = specs(RE_REGISTRATION)
    page = client.get(url(people["citizen"])).content.decode()
    assert page.count("Dùng giấy tờ đã có trong kho dữ liệu") == 2
    assert f'name="reuse_{docs["GKS"].pk}" value="{store["GKS"].code}" checked' in page
    assert "Không dùng: quét tệp hoặc ghi nhận bản giấy" in page
    store_id = str(store["GKS"].store_id)
    assert reads() == [
        (people["desk"].pk, "documents.DataStore", store_id, {"purpose": "intake", "procedure": RE_REGISTRATION})
    ]


def test_nothing_is_read_or_recorded_for_an_applicant_without_documents(client, people, store) -> None:
    client.force_login(people["desk"])
    newcomer = make_citizen(personal_id="001203000999")
    page = client.get(url(newcomer)).content.decode()
    assert "Dùng giấy tờ đã có trong kho dữ liệu" not in page
    assert reads() == []


def test_the_desk_receives_with_the_stored_documents_and_the_receipt_says_so(client, people, store) -> None:
    client.force_login(people["desk"])
    docs = specs(RE_REGISTRATION)
    data = {
        "desk": "H99.101.MC",
        "agency": "H99.101",
        "eform-ly_do": "Mất sổ đăng ký",
        "return_method": "desk",
        f"paper_{docs['TK'].pk}": "original",
        f"reuse_{docs['GKS'].pk}": store["GKS"].code,
        f"reuse_{docs['CCCD'].pk}": store["CCCD"].code,
        # A paper recorded for a document taken from the store is not recorded (the radio decides).
        f"paper_{docs['CCCD'].pk}": "copy",
        "form_token": "",
    }
    response = client.post(url(people["citizen"]), data)
    assert response.status_code == 302
    dossier = Dossier.objects.get(procedure__code=RE_REGISTRATION)
    assert dossier.status == "received"
    assert sorted(DocumentReuse.objects.filter(dossier=dossier).values_list("source__code", "by")) == sorted(
        [(store["GKS"].code, people["desk"].pk), (store["CCCD"].code, people["desk"].pk)]
    )
    assert sorted(dossier.documents.values_list("name", "form")) == sorted(
        [
            ("Tờ khai đăng ký lại khai sinh", "original"),
            ("Giấy khai sinh hoặc Trích lục khai sinh", "electronic"),
            ("Thẻ căn cước của người yêu cầu", "electronic"),
        ]
    )
    html = slip_html(dossier, SlipKind.RECEIPT)
    assert f"Tái sử dụng từ kho dữ liệu (mã {store['GKS'].code})" in html
    assert f"Tái sử dụng từ kho dữ liệu (mã {store['CCCD'].code})" in html
    assert html.count("Đã nhận bản giấy") == 0 and html.count("Đã đối chiếu bản chính") == 1  # the form only
    page = client.get(response["Location"]).content.decode()
    assert page.count("Tái sử dụng từ kho dữ liệu (mã ") == 2


def test_a_foreign_code_typed_into_the_form_is_refused_and_nothing_is_received(client, people, store) -> None:
    client.force_login(people["desk"])
    stranger = make_citizen(personal_id="001203000888")
    docs = specs(RE_REGISTRATION)
    data = {
        "desk": "H99.101.MC",
        "agency": "H99.101",
        "eform-ly_do": "Mất sổ đăng ký",
        "return_method": "desk",
        f"paper_{docs['TK'].pk}": "original",
        f"paper_{docs['CCCD'].pk}": "original",
        f"reuse_{docs['GKS'].pk}": store["GKS"].code,  # the citizen's, not the stranger's
    }
    response = client.post(url(stranger), data)
    assert response.status_code == 404
    assert Dossier.objects.filter(procedure__code=RE_REGISTRATION).count() == 0
    assert response.context["form"].non_field_errors() == [
        "Giấy khai sinh hoặc Trích lục khai sinh: Giấy tờ này không có trong kho dữ liệu của người nộp hồ sơ."
    ]
