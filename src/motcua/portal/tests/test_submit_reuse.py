"""The submission page offers what the citizen's data store holds (issue 14 §3): a radio between a stored
document and a file; the choice survives a form error; a tampered or expired choice is refused in
Vietnamese and creates nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.documents.models import DigitizedDocument, DocumentReuse
from motcua.documents.services import store_for
from motcua.dossiers.models import Dossier, StagedUpload
from tests.factories import make_citizen, row_counts
from tests.intake import PDF
from tests.reuse import RE_REGISTRATION, first_dossier, reuse_catalog, specs

URL = f"/thu-tuc/{RE_REGISTRATION}/nop-ho-so/"


@pytest.fixture
def store(people: dict[str, Any], monday_morning: Any) -> dict[str, DigitizedDocument]:
    reuse_catalog()
    first_dossier(people)
    owner = people["citizen"].personal_id
    return {d.type_code: d for d in DigitizedDocument.objects.filter(store__owner_id_number=owner)}


@pytest.fixture
def citizen_client(client: Any, people: dict[str, Any]) -> Any:
    client.force_login(people["citizen"])
    return client


def token_of(response: Any) -> str:
    found = re.search(r'name="form_token" value="([^"]+)"', response.content.decode())
    assert found
    return found.group(1)


def post(token: str, **overrides: Any) -> dict[str, Any]:
    docs = specs(RE_REGISTRATION)
    data: dict[str, Any] = {
        "action": "submit",
        "agency": "H99.101",
        "eform-ly_do": "Mất sổ đăng ký",
        f"document_{docs['TK'].pk}": SimpleUploadedFile("to-khai.pdf", PDF, content_type="application/pdf"),
        "return_method": "electronic",
        "confirm": "on",
        "form_token": token,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def state() -> dict[str, int]:
    """Rows of every table but the page's kept files (``dossiers.staging``: kept on purpose)."""
    counts = {**row_counts(), "reuses": DocumentReuse.objects.count(), "stored": DigitizedDocument.objects.count()}
    del counts[StagedUpload._meta.label]
    return counts


def radio(page: str, name: str, value: str) -> str:
    found = re.search(rf'<input type="radio" name="{name}" value="{re.escape(value)}"[^>]*>', page)
    assert found, (name, value)
    return found.group(0)


def test_the_page_proposes_the_stored_documents_chosen_by_default(citizen_client, store) -> None:
    docs = specs(RE_REGISTRATION)
    page = citizen_client.get(URL).content.decode()
    assert page.count("Dùng giấy tờ đã có trong kho dữ liệu") == 2
    gks, cccd = store["GKS"], store["CCCD"]
    assert "checked" in radio(page, f"reuse_{docs['GKS'].pk}", gks.code)
    assert "checked" in radio(page, f"reuse_{docs['CCCD'].pk}", cccd.code)
    assert "checked" not in radio(page, f"reuse_{docs['GKS'].pk}", "")
    assert "còn hiệu lực đến 09/09/2026" in page  # the CCCD copy: 6 months
    assert "không thời hạn" in page  # the birth extract does not expire
    assert f"reuse_{docs['TK'].pk}" not in page  # the form is not reusable
    assert "Không dùng: tải tệp lên" in page


def test_choosing_the_stored_documents_submits_without_their_files(citizen_client, store, people) -> None:
    docs = specs(RE_REGISTRATION)
    token = token_of(citizen_client.get(URL))
    chosen = {f"reuse_{docs['GKS'].pk}": store["GKS"].code, f"reuse_{docs['CCCD'].pk}": store["CCCD"].code}
    response = citizen_client.post(URL, post(token, **chosen))
    assert response.status_code == 302
    dossier = Dossier.objects.get(procedure__code=RE_REGISTRATION)
    taken = {
        r.source.code: r.dossier_document.required_document_id for r in DocumentReuse.objects.filter(dossier=dossier)
    }
    assert taken == {store["GKS"].code: docs["GKS"].pk, store["CCCD"].code: docs["CCCD"].pk}
    done = citizen_client.get(response["Location"]).content.decode()
    assert f"Tái sử dụng từ kho dữ liệu (mã {store['GKS'].code})" in done
    assert f"Tái sử dụng từ kho dữ liệu (mã {store['CCCD'].code})" in done
    mine = citizen_client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert mine.count("Tái sử dụng từ kho dữ liệu (mã ") == 2


def test_a_file_chosen_with_a_stored_document_is_not_sent_and_upload_wins_when_chosen(citizen_client, store) -> None:
    docs = specs(RE_REGISTRATION)
    token = token_of(citizen_client.get(URL))
    gks_file = SimpleUploadedFile("gks.pdf", PDF, content_type="application/pdf")
    choice = {
        f"reuse_{docs['GKS'].pk}": "",  # a file instead
        f"document_{docs['GKS'].pk}": gks_file,
        f"reuse_{docs['CCCD'].pk}": store["CCCD"].code,
        f"document_{docs['CCCD'].pk}": SimpleUploadedFile("cccd.pdf", PDF, content_type="application/pdf"),
    }
    assert citizen_client.post(URL, post(token, **choice)).status_code == 302
    dossier = Dossier.objects.get(procedure__code=RE_REGISTRATION)
    given = sorted((d.required_document_id, d.original_name, d.reused_code) for d in dossier.documents.all())
    assert given == sorted(
        [
            (docs["TK"].pk, "to-khai.pdf", ""),
            (docs["GKS"].pk, "gks.pdf", ""),
            (docs["CCCD"].pk, "", store["CCCD"].code),
        ]
    )


def test_the_choice_survives_a_form_error(citizen_client, store) -> None:
    docs = specs(RE_REGISTRATION)
    token = token_of(citizen_client.get(URL))
    chosen = {f"reuse_{docs['GKS'].pk}": "", f"reuse_{docs['CCCD'].pk}": store["CCCD"].code}
    before = state()
    response = citizen_client.post(URL, post(token, confirm=None, **chosen))
    assert response.status_code == 400
    assert state() == before
    page = response.content.decode()
    assert "checked" in radio(page, f"reuse_{docs['CCCD'].pk}", store["CCCD"].code)
    assert "checked" in radio(page, f"reuse_{docs['GKS'].pk}", "")  # the applicant chose a file there
    assert "checked" not in radio(page, f"reuse_{docs['GKS'].pk}", store["GKS"].code)
    assert set(StagedUpload.objects.values_list("slot", flat=True)) == {f"document_{docs['TK'].pk}"}
    # The birth extract needs its file now; the ID card does not.
    assert list(response.context["files"].errors) == [f"document_{docs['GKS'].pk}"]


def test_someone_elses_document_in_a_tampered_page_is_refused_in_vietnamese(citizen_client, store) -> None:
    docs = specs(RE_REGISTRATION)
    other = store_for(owner_id_number="001203000777", owner_name="Trần Thị B", owner_kind="person")
    foreign = DigitizedDocument.objects.create(
        store=other,
        code="001203000777.1.004859.GKS.01",
        origin="component",
        type_code="GKS",
        name="Giấy khai sinh",
        file=store["GKS"].file.name,
        sha256=store["GKS"].sha256,
        digitized_at=store["GKS"].digitized_at,
    )
    token = token_of(citizen_client.get(URL))
    before = state()
    chosen = {f"reuse_{docs['GKS'].pk}": foreign.code, f"reuse_{docs['CCCD'].pk}": store["CCCD"].code}
    response = citizen_client.post(URL, post(token, **chosen))
    assert response.status_code == 400
    assert state() == before
    assert response.context["files"].non_field_errors() == [
        "Giấy khai sinh hoặc Trích lục khai sinh: Giấy tờ này không có trong kho dữ liệu của người nộp hồ sơ."
    ]


def test_a_document_expired_since_the_page_was_shown_is_refused(citizen_client, store, monday_morning) -> None:
    docs = specs(RE_REGISTRATION)
    token = token_of(citizen_client.get(URL))
    monday_morning.move_to("2026-09-10 09:00 +07:00")  # the ID card's copy was usable until 9 September
    before = state()
    chosen = {f"reuse_{docs['GKS'].pk}": store["GKS"].code, f"reuse_{docs['CCCD'].pk}": store["CCCD"].code}
    response = citizen_client.post(URL, post(token, **chosen))
    assert response.status_code == 409
    assert state() == before
    assert response.context["files"].non_field_errors() == [
        "Thẻ căn cước của người yêu cầu: Giấy tờ này đã hết hiệu lực: hãy nộp giấy tờ mới."
    ]
    page = response.content.decode()
    assert store["CCCD"].code not in page  # no longer offered
    assert "checked" in radio(page, f"reuse_{docs['GKS'].pk}", store["GKS"].code)


def test_the_offer_costs_one_query_whatever_the_store_holds(citizen_client, store, people) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert citizen_client.get(URL).status_code == 200
        return len(captured)

    queries()  # caches warm (the published version's parts, the session)
    first = queries()
    for n in range(2, 6):
        DigitizedDocument.objects.create(
            store=store["GKS"].store,
            code=f"{store['GKS'].code[:-3]}.{n:02d}",
            origin="component",
            type_code="GKS",
            name="Giấy khai sinh",
            file=store["GKS"].file.name,
            sha256=store["GKS"].sha256,
            digitized_at=store["GKS"].digitized_at,
        )
    assert queries() == first
    newcomer = make_citizen(personal_id="001203000999")
    citizen_client.force_login(newcomer)
    assert "Dùng giấy tờ đã có trong kho dữ liệu" not in citizen_client.get(URL).content.decode()
