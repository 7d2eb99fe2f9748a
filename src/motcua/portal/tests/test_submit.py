import os
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from motcua.catalog.models import Procedure, RequiredDocument
from motcua.catalog.services import catalog_import
from motcua.dossiers.constants import NationalStatus, Status
from motcua.dossiers.draft_models import DossierDraft
from motcua.dossiers.files import MAX_UPLOAD_BYTES
from motcua.dossiers.models import Dossier, StagedUpload
from tests.factories import make_citizen, row_counts, small_catalog
from tests.intake import PDF

URL = "/thu-tuc/1.001193/nop-ho-so/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}  # messages are English msgids; Vietnamese is the default language


def state() -> dict[str, Any]:
    """Rows of every model (dossiers included) and the files stored under MEDIA_ROOT, except the files
    a page with errors keeps for its next try (``dossiers.staging``, tested on their own)."""
    counts = {
        **row_counts(),
        **{m._meta.label: m.objects.count() for m in apps.get_app_config("dossiers").get_models()},
    }
    del counts[StagedUpload._meta.label]
    counts["files"] = sum(
        len(files) for root, _dirs, files in os.walk(settings.MEDIA_ROOT) if "staged" not in Path(root).parts
    )
    return counts


def birth_documents() -> list[RequiredDocument]:
    """Required documents of the published version of 1.001193."""
    version = Procedure.objects.get(code="1.001193").current_version
    return list(RequiredDocument.objects.filter(version=version).order_by("position", "id"))


def upload(name: str = "to-khai.pdf", data: bytes = PDF, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def birth_post(**overrides: Any) -> dict[str, Any]:
    first, second = birth_documents()
    data: dict[str, Any] = {
        "action": "submit",
        "agency": "H99.101",
        "eform-ho_ten_tre": "Nguyễn Văn An",
        "eform-ngay_sinh": "2026-03-01",
        f"document_{first.pk}": upload("to-khai.pdf"),
        f"document_{second.pk}": upload("giay-chung-sinh.pdf"),
        "return_method": "electronic",
        "return_address": "",
        "confirm": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def citizen_client(client: Any, people: dict[str, Any]) -> Any:
    client.force_login(people["citizen"])
    return client


# The procedure page -------------------------------------------------------------------------------


def test_the_procedure_page_links_to_online_submission_when_the_procedure_is_online(client, catalog) -> None:
    assert f'href="{URL}"' in client.get("/thu-tuc/1.001193/").content.decode()
    page = client.get("/thu-tuc/2.000815/", **EN).content.decode()
    assert "nop-ho-so" not in page
    assert "This procedure cannot be submitted online: submit the dossier at the desk of the agency." in page


def test_staff_do_not_see_the_submit_button(client, people) -> None:
    client.force_login(people["desk"])
    assert "nop-ho-so" not in client.get("/thu-tuc/1.001193/").content.decode()


# Access ---------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page_and_back(client, catalog) -> None:
    response = client.get(URL)
    assert (response.status_code, response["Location"]) == (302, "/dang-nhap/?next=/thu-tuc/1.001193/nop-ho-so/")


def test_staff_are_refused_and_nothing_is_created(client, people, monday_morning) -> None:
    client.force_login(people["desk"])
    before = state()
    assert client.get(URL).status_code == 403
    assert client.post(URL, birth_post()).status_code == 403
    assert state() == before


def test_a_procedure_that_is_not_online_sends_back_to_its_page(citizen_client) -> None:
    response = citizen_client.get("/thu-tuc/2.000815/nop-ho-so/")
    assert (response.status_code, response["Location"]) == (302, "/thu-tuc/2.000815/")


def test_an_unknown_procedure_is_not_found(citizen_client) -> None:
    assert citizen_client.get("/thu-tuc/9.999999/nop-ho-so/").status_code == 404


# The page -------------------------------------------------------------------------------------------


def test_the_page_offers_the_agencies_the_e_form_and_one_file_input_per_document(citizen_client) -> None:
    response = citizen_client.get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.fields["agency"].choices[1:] == [("H99.101", "Xã An"), ("H99.102", "Xã Bình")]
    assert form["agency"].value() is None  # several agencies: the applicant chooses
    assert [f.label for f in response.context["eform"]] == ["Họ tên trẻ", "Ngày sinh"]
    page = response.content.decode()
    assert 'name="eform-ho_ten_tre"' in page and 'name="eform-ngay_sinh"' in page
    for document in birth_documents():
        assert f'name="document_{document.pk}" accept=".pdf,.jpg,.jpeg,.png,' in page
        assert document.name in page
    assert 'enctype="multipart/form-data"' in page


def test_the_only_agency_is_preselected(citizen_client) -> None:
    response = citizen_client.get("/thu-tuc/2.000528/nop-ho-so/")
    assert response.context["form"]["agency"].value() == "H99.101"
    assert '<option value="H99.101" selected>' in response.content.decode()


def test_the_postal_fee_notice_is_shown(citizen_client) -> None:
    assert "Postal delivery is charged by the postal service." in citizen_client.get(URL, **EN).content.decode()


# Submission -----------------------------------------------------------------------------------------


def test_a_citizen_submits_a_dossier_with_two_pdfs(citizen_client, people, monday_morning) -> None:
    response = citizen_client.post(URL, birth_post())

    assert (response.status_code, response["Location"]) == (302, f"{URL}xong/H99.101-260309-0001/")
    dossier = Dossier.objects.get()
    assert (dossier.code, dossier.status, dossier.national_status, dossier.channel) == (
        "H99.101-260309-0001",
        Status.SUBMITTED,
        NationalStatus.NEW,
        "online",
    )
    assert (dossier.applicant, dossier.competent_agency.code, dossier.return_method) == (
        people["citizen"],
        "H99.101",
        "electronic",
    )
    assert dossier.form_data == {"ho_ten_tre": "Nguyễn Văn An", "ngay_sinh": "2026-03-01"}
    assert [(d.required_document, d.original_name, d.content_type, d.size) for d in dossier.documents.all()] == [
        (birth_documents()[0], "to-khai.pdf", "application/pdf", len(PDF)),
        (birth_documents()[1], "giay-chung-sinh.pdf", "application/pdf", len(PDF)),
    ]
    assert state()["files"] == 2

    done = citizen_client.get(response["Location"], **EN)
    page = done.content.decode()
    assert done.status_code == 200
    assert '<p class="dossier-code" id="dossier-code">H99.101-260309-0001</p>' in page
    assert '<dd id="dossier-status">Submitted, awaiting reception</dd>' in page
    assert 'href="/ho-so-cua-toi/H99.101-260309-0001/"' in page
    assert "Nguyễn Văn An" in page and "01/03/2026" in page and "giay-chung-sinh.pdf" in page


def test_a_dossier_returned_by_post_keeps_the_address(citizen_client, monday_morning) -> None:
    response = citizen_client.post(
        URL, birth_post(agency="H99.102", return_method="post", return_address="12 Lê Lợi, Xã Bình")
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert (dossier.code, dossier.return_method, dossier.return_address) == (
        "H99.102-260309-0001",
        "post",
        "12 Lê Lợi, Xã Bình",
    )
    page = citizen_client.get(response["Location"], **EN).content.decode()
    assert "12 Lê Lợi, Xã Bình" in page and "Postal delivery is charged by the postal service." in page


def _document_field(index: int) -> str:
    return f"document_{birth_documents()[index].pk}"


BAD_INPUT = {
    "e-form field missing": (lambda: {"eform-ho_ten_tre": ""}, "eform", "ho_ten_tre", "This field is required."),
    "e-form date invalid": (lambda: {"eform-ngay_sinh": "2026-02-30"}, "eform", "ngay_sinh", "Enter a valid date."),
    "wrong file type": (
        lambda: {_document_field(0): upload("anh.gif", b"GIF89a" + b"x" * 100, "application/pdf")},
        "files",
        0,
        "Only PDF, JPEG or PNG files are accepted.",
    ),
    "empty file": (lambda: {_document_field(1): upload("rong.pdf", b"")}, "files", 1, "The file is empty."),
    "oversized file": (
        lambda: {_document_field(0): upload("lon.pdf", b"%PDF-1.4\n" + b"x" * MAX_UPLOAD_BYTES)},
        "files",
        0,
        "The file is larger than 10 MB.",
    ),
    "missing file": (lambda: {_document_field(1): None}, "files", 1, "This field is required."),
    "postal address missing": (
        lambda: {"return_method": "post"},
        "form",
        "return_address",
        "Give the address the result should be posted to.",
    ),
    "not confirmed": (lambda: {"confirm": None}, "form", "confirm", "This field is required."),
    "agency that does not offer it": (
        lambda: {"agency": "H99.01"},
        "form",
        "agency",
        "Select a valid choice. H99.01 is not one of the available choices.",
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_is_refused_with_a_message_and_changes_nothing(citizen_client, monday_morning, case) -> None:
    overrides, form_name, field, message = BAD_INPUT[case]
    before = state()

    response = citizen_client.post(URL, birth_post(**overrides()), **EN)

    assert response.status_code == 400
    form = response.context[form_name]
    field_name = _document_field(field) if isinstance(field, int) else field
    assert form.errors[field_name] == [message]
    page = response.content.decode()
    assert 'class="error-summary"' in page and message in page
    assert state() == before


def test_service_refusals_are_shown_next_to_the_e_form_field(citizen_client, monday_morning) -> None:
    # A new version whose schema has a rule the generated form does not check itself (a pattern).
    document = small_catalog()
    properties = document["procedures"][0]["form_schema"]["properties"]
    properties["so_ho_so_goc"] = {"type": "string", "title": "Số hồ sơ gốc", "pattern": "^[0-9]{12}$"}
    catalog_import(actor=None, document=document)
    before = state()

    response = citizen_client.post(URL, birth_post(**{"eform-so_ho_so_goc": "12345"}), **EN)

    assert response.status_code == 400
    assert response.context["eform"].errors == {"so_ho_so_goc": ["The value does not have the expected form."]}
    assert state() == before


# Drafts ---------------------------------------------------------------------------------------------


def test_a_draft_is_saved_restored_and_discarded_after_submission(citizen_client, people, monday_morning) -> None:
    before = state()
    draft_post = birth_post(
        action="draft",
        agency="H99.102",
        **{"eform-ngay_sinh": "", "eform-khong_co": "x"},
        return_method="post",
        return_address="12 Lê Lợi",
        confirm=None,
    )
    response = citizen_client.post(URL, draft_post)

    assert (response.status_code, response["Location"]) == (302, URL)
    draft = DossierDraft.objects.get()
    assert (draft.applicant, draft.agency.code, draft.form_data, draft.return_method, draft.return_address) == (
        people["citizen"],
        "H99.102",
        {"ho_ten_tre": "Nguyễn Văn An"},
        "post",
        "12 Lê Lợi",
    )
    # Files are not kept, and no dossier was made.
    after = state()
    assert (after["files"], after["dossiers.Dossier"]) == (before["files"], 0)

    page = citizen_client.get(URL)
    assert page.context["draft"] == draft
    assert page.context["form"]["agency"].value() == "H99.102"
    assert page.context["form"]["return_address"].value() == "12 Lê Lợi"
    assert 'value="Nguyễn Văn An"' in page.content.decode()

    assert citizen_client.post(URL, birth_post(agency="H99.102")).status_code == 302
    assert Dossier.objects.get().code == "H99.102-260309-0001"
    assert not DossierDraft.objects.exists()


def test_saving_again_replaces_the_draft(citizen_client) -> None:
    citizen_client.post(URL, {"action": "draft", "eform-ho_ten_tre": "An"})
    citizen_client.post(URL, {"action": "draft", "eform-ho_ten_tre": "Bình", "agency": "H99.99"})
    draft = DossierDraft.objects.get()
    assert (draft.form_data, draft.agency) == ({"ho_ten_tre": "Bình"}, None)


def test_a_draft_value_too_long_is_refused(citizen_client) -> None:
    response = citizen_client.post(URL, {"action": "draft", "eform-ho_ten_tre": "x" * 5001}, **EN)
    assert response.status_code == 400
    assert "This value is too long to be kept in a draft." in response.context["eform"].errors["ho_ten_tre"]
    assert not DossierDraft.objects.exists()


def test_drafts_belong_to_their_applicant(citizen_client) -> None:
    citizen_client.post(URL, {"action": "draft", "eform-ho_ten_tre": "Nguyễn Văn An"})
    other = Client()
    other.force_login(make_citizen())
    page = other.get(URL)
    assert page.context["draft"] is None and "Nguyễn Văn An" not in page.content.decode()


# The page after submission --------------------------------------------------------------------------


def test_the_success_page_shows_only_the_applicants_own_dossier(citizen_client, monday_morning) -> None:
    done = citizen_client.post(URL, birth_post())["Location"]
    assert citizen_client.get("/thu-tuc/2.000528/nop-ho-so/xong/H99.101-260309-0001/").status_code == 404
    other = Client()
    other.force_login(make_citizen())
    assert other.get(done).status_code == 404
    assert reverse("portal:submit-done", kwargs={"code": "1.001193", "dossier_code": "H99.101-260309-0001"}) == done
