"""Issue 12, item 4 on the online submission page: files kept across errors, the e-form prefilled from
the account, one dossier per form token."""

import hashlib
import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.catalog.services import catalog_import
from motcua.dossiers.models import Dossier, DossierDocument, StagedUpload
from motcua.identity.constants import AccountKind
from motcua.portal.prefill import account_prefill
from motcua.portal.tests.test_submit import URL, birth_documents, birth_post, state
from tests.factories import make_citizen, small_catalog
from tests.intake import PDF, make_pdf

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
SECOND = make_pdf("the birth certificate")


def token_of(response: Any) -> str:
    match = re.search(r'name="form_token" value="([A-Za-z0-9_-]+)"', response.content.decode())
    assert match is not None
    return match.group(1)


def staged_files() -> list[str]:
    root = Path(settings.MEDIA_ROOT) / "staged"
    return sorted(str(Path(d, f).relative_to(root)) for d, _dirs, files in os.walk(root) for f in files)


@pytest.fixture
def citizen_client(client: Any, people: dict[str, Any]) -> Any:
    client.force_login(people["citizen"])
    return client


def _files(first: bytes = PDF, second: bytes = SECOND) -> dict[str, Any]:
    a, b = birth_documents()
    return {
        f"document_{a.pk}": SimpleUploadedFile("to-khai.pdf", first, content_type="application/pdf"),
        f"document_{b.pk}": SimpleUploadedFile("giay-chung-sinh.pdf", second, content_type="application/pdf"),
    }


# Files kept across validation errors ----------------------------------------------------------------


def test_files_are_kept_across_an_e_form_error_and_the_corrected_page_makes_one_dossier(
    citizen_client, people, monday_morning, django_capture_on_commit_callbacks
) -> None:
    token = token_of(citizen_client.get(URL))
    before = state()
    first = citizen_client.post(URL, {**birth_post(**{"eform-ho_ten_tre": ""}), **_files(), "form_token": token}, **EN)

    assert first.status_code == 400
    assert first.context["eform"].errors == {"ho_ten_tre": ["This field is required."]}
    assert state() == before  # no dossier, no document
    page = first.content.decode()
    a, b = birth_documents()
    assert f"Already uploaded: to-khai.pdf ({len(PDF)}\xa0bytes)" in page
    assert f"Already uploaded: giay-chung-sinh.pdf ({len(SECOND)}\xa0bytes)" in page
    assert token_of(first) == token  # the same page goes on
    assert f'id="id_document_{a.pk}-staged"' in page and "replace" in page
    staged = {s.slot: s for s in StagedUpload.objects.all()}
    assert {k: (s.owner, s.original_name, s.size) for k, s in staged.items()} == {
        f"document_{a.pk}": (people["citizen"], "to-khai.pdf", len(PDF)),
        f"document_{b.pk}": (people["citizen"], "giay-chung-sinh.pdf", len(SECOND)),
    }
    assert len(staged_files()) == 2

    # Corrected, without choosing the files again.
    no_files = {k: v for k, v in birth_post().items() if not k.startswith("document_")}
    with django_capture_on_commit_callbacks(execute=True):
        second = citizen_client.post(URL, {**no_files, "form_token": token})

    assert second.status_code == 302
    dossier = Dossier.objects.get()
    assert second["Location"] == f"{URL}xong/{dossier.code}/"
    documents = list(dossier.documents.order_by("id"))
    assert [(d.required_document_id, d.original_name, d.size, d.sha256) for d in documents] == [
        (a.pk, "to-khai.pdf", len(PDF), hashlib.sha256(PDF).hexdigest()),
        (b.pk, "giay-chung-sinh.pdf", len(SECOND), hashlib.sha256(SECOND).hexdigest()),
    ]
    assert documents[1].file.read() == SECOND
    assert (StagedUpload.objects.count(), staged_files()) == (0, [])  # kept files are gone with the page


def test_a_new_file_replaces_the_kept_one_and_a_bad_file_is_not_kept(citizen_client, monday_morning) -> None:
    token = token_of(citizen_client.get(URL))
    a, b = birth_documents()
    bad = SimpleUploadedFile("anh.gif", b"GIF89a" + b"x" * 100, content_type="image/gif")
    response = citizen_client.post(URL, {**birth_post(), f"document_{b.pk}": bad, "form_token": token}, **EN)
    assert response.status_code == 400
    assert response.context["files"].errors == {f"document_{b.pk}": ["Only PDF, JPEG or PNG files are accepted."]}
    assert list(StagedUpload.objects.values_list("slot", "original_name")) == [(f"document_{a.pk}", "to-khai.pdf")]

    replacement = SimpleUploadedFile("to-khai-moi.pdf", SECOND, content_type="application/pdf")
    good_second = SimpleUploadedFile("gcs.pdf", PDF, content_type="application/pdf")
    response = citizen_client.post(
        URL,
        {**birth_post(), f"document_{a.pk}": replacement, f"document_{b.pk}": good_second, "form_token": token},
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert list(dossier.documents.order_by("id").values_list("original_name", "size")) == [
        ("to-khai-moi.pdf", len(SECOND)),
        ("gcs.pdf", len(PDF)),
    ]


def test_kept_files_belong_to_their_account_and_page(client, citizen_client, people, monday_morning) -> None:
    token = token_of(citizen_client.get(URL))
    citizen_client.post(URL, {**birth_post(**{"eform-ho_ten_tre": ""}), **_files(), "form_token": token})
    assert StagedUpload.objects.count() == 2
    no_files = {k: v for k, v in birth_post().items() if not k.startswith("document_")}

    # Another account sending the same token sees nothing of them and must attach its own files.
    client.force_login(make_citizen())
    other = client.post(URL, {**no_files, "form_token": token}, **EN)
    assert other.status_code == 400
    assert set(other.context["files"].errors) == {f"document_{d.pk}" for d in birth_documents()}
    assert "Already uploaded" not in other.content.decode()
    # A malformed token is not used to look anything up: a fresh page token is issued.
    client.force_login(people["citizen"])
    forged = client.post(URL, {**no_files, "form_token": "../" + token}, **EN)
    assert forged.status_code == 400 and token_of(forged) != token
    assert Dossier.objects.count() == 0


# The e-form prefilled from the account --------------------------------------------------------------


REQUESTER_SCHEMA = {
    "type": "object",
    "properties": {
        "ho_ten_nguoi_yeu_cau": {"type": "string", "title": "Họ, chữ đệm, tên người yêu cầu", "maxLength": 100},
        "so_dinh_danh_nguoi_yeu_cau": {
            "type": "string",
            "title": "Số định danh cá nhân của người yêu cầu",
            "pattern": "^[0-9]{12}$",
        },
        "dien_thoai": {"type": "string", "title": "Số điện thoại liên hệ", "pattern": "^0[0-9]{9,10}$"},
        "email": {"type": "string", "format": "email", "title": "Thư điện tử"},
        "dia_chi": {"type": "string", "title": "Địa chỉ liên hệ"},
        "ho_ten_chu_ho": {"type": "string", "title": "Họ, chữ đệm, tên người yêu cầu"},
        "ho_ten_tre": {"type": "string", "title": "Họ tên trẻ"},
        "ngay_sinh": {"type": "string", "format": "date", "title": "Ngày sinh"},
    },
    "required": ["ho_ten_tre", "ngay_sinh"],
}


def _with_requester_fields() -> None:
    document = small_catalog()
    document["procedures"][0]["form_schema"] = REQUESTER_SCHEMA
    catalog_import(actor=None, document=document)


def test_the_e_form_is_prefilled_from_the_account(client, people, monday_morning) -> None:
    _with_requester_fields()
    citizen = people["citizen"]
    citizen.full_name, citizen.email, citizen.address = "Trần Thị Hoa", "hoa@example.vn", "12 Lê Lợi, Xã An"
    citizen.save()
    client.force_login(citizen)

    eform = client.get(URL).context["eform"]

    assert {name: eform[name].value() for name in eform.fields} == {
        "ho_ten_nguoi_yeu_cau": "Trần Thị Hoa",
        "so_dinh_danh_nguoi_yeu_cau": "042190001234",
        "dien_thoai": "0912345678",
        "email": "hoa@example.vn",
        "dia_chi": "12 Lê Lợi, Xã An",
        "ho_ten_chu_ho": "Trần Thị Hoa",
        "ho_ten_tre": None,
        "ngay_sinh": None,
    }


def test_prefill_never_overwrites_what_the_applicant_typed(client, people, monday_morning) -> None:
    _with_requester_fields()
    client.force_login(people["citizen"])
    # A saved draft holds what was typed: it wins over the account.
    client.post(URL, {**birth_post(action="draft"), "eform-dien_thoai": "0987654321"})
    eform = client.get(URL).context["eform"]
    assert (eform["dien_thoai"].value(), eform["so_dinh_danh_nguoi_yeu_cau"].value()) == ("0987654321", "042190001234")
    # A page sent back with errors shows exactly what was sent, an emptied field stays empty.
    response = client.post(URL, birth_post(**{"eform-ho_ten_tre": "", "eform-dien_thoai": ""}))
    assert response.status_code == 400
    assert response.context["eform"]["dien_thoai"].value() == ""


def test_prefill_offers_only_values_that_fit_and_nothing_personal_for_an_organisation(people) -> None:
    citizen = people["citizen"]
    citizen.phone = "+84912345678"  # does not fit the field's pattern: left for the applicant
    assert "dien_thoai" not in account_prefill(REQUESTER_SCHEMA, citizen)
    organisation = make_citizen()
    organisation.kind, organisation.full_name, organisation.tax_code = AccountKind.ORGANISATION, "Công ty A", "0101"
    assert set(account_prefill(REQUESTER_SCHEMA, organisation)) == {"dien_thoai", "email"}
    explicit = {"properties": {"lien_he": {"type": "string", "x-prefill": "phone"}}}
    assert account_prefill(explicit, organisation) == {"lien_he": organisation.phone}


# One dossier per form token -------------------------------------------------------------------------


def test_the_same_page_sent_three_times_makes_one_dossier(citizen_client, monday_morning) -> None:
    token = token_of(citizen_client.get(URL))
    responses = [citizen_client.post(URL, {**birth_post(), "form_token": token}) for _ in range(3)]

    dossier = Dossier.objects.get()
    assert [(r.status_code, r["Location"]) for r in responses] == [(302, f"{URL}xong/{dossier.code}/")] * 3
    assert DossierDocument.objects.count() == 2
    # A new page is a new submission.
    again = citizen_client.post(URL, {**birth_post(), "form_token": token_of(citizen_client.get(URL))})
    assert again.status_code == 302 and Dossier.objects.count() == 2


def test_files_kept_for_more_than_a_day_are_deleted(
    citizen_client, people, monday_morning, django_capture_on_commit_callbacks
) -> None:
    other = make_citizen()
    client = Client()
    client.force_login(other)
    token = token_of(client.get(URL))
    client.post(URL, {**birth_post(**{"eform-ho_ten_tre": ""}), **_files(), "form_token": token})
    assert (StagedUpload.objects.filter(owner=other).count(), len(staged_files())) == (2, 2)

    monday_morning.shift(timedelta(days=1, seconds=1))
    mine = token_of(citizen_client.get(URL))
    with django_capture_on_commit_callbacks(execute=True):
        citizen_client.post(URL, {**birth_post(**{"eform-ho_ten_tre": ""}), **_files(), "form_token": mine})

    assert list(StagedUpload.objects.values_list("owner", flat=True)) == [people["citizen"].pk] * 2
    assert len(staged_files()) == 2
