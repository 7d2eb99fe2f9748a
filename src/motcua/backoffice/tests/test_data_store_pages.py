"""Staff and the data store: an applicant's store only through a dossier they see (audited), and the
digitization of earlier paper results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from motcua.core.models import AuditEntry
from motcua.documents.models import DigitizedDocument
from motcua.identity.constants import Role
from tests.factories import make_citizen, make_staff
from tests.intake import make_pdf
from tests.processing import received_birth_dossier

pytestmark = pytest.mark.usefixtures("monday_morning")

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def store_url(code: str) -> str:
    return reverse("backoffice:dossier-data-store", kwargs={"code": code})


def reads() -> list[tuple[Any, ...]]:
    return list(
        AuditEntry.objects.filter(action="data_store_read")
        .order_by("id")
        .values_list("actor__username", "object_type", "object_id", "data")
    )


def test_staff_who_see_the_dossier_read_the_store_and_each_read_is_logged(people) -> None:
    dossier = received_birth_dossier(people)
    desk = logged_in(people["desk"])
    page = desk.get(reverse("backoffice:dossier", kwargs={"code": dossier.code}))
    assert f'href="{store_url(dossier.code)}"' in page.content.decode()

    listed = desk.get(store_url(dossier.code))
    assert listed.status_code == 200
    stored = list(DigitizedDocument.objects.order_by("-digitized_at", "-id"))
    assert [document for document, _expired in listed.context["rows"]] == stored
    store_id = str(stored[0].store_id)
    username = people["desk"].username
    assert reads() == [(username, "documents.DataStore", store_id, {"dossier": dossier.code, "document": None})]

    document = stored[0]
    url = reverse(
        "backoffice:dossier-data-store-document", kwargs={"code": dossier.code, "document_code": document.code}
    )
    assert url in listed.content.decode()
    download = desk.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == document.file.read()
    assert reads()[-1] == (
        username,
        "documents.DataStore",
        store_id,
        {"dossier": dossier.code, "document": document.code},
    )


def test_staff_without_a_dossier_of_the_owner_get_404_and_nothing_is_logged(people, province) -> None:
    dossier = received_birth_dossier(people)
    document = DigitizedDocument.objects.first()
    assert document is not None
    stranger = logged_in(people["other_desk"])  # commune B: sees no dossier of this applicant
    assert stranger.get(store_url(dossier.code)).status_code == 404
    url = reverse(
        "backoffice:dossier-data-store-document", kwargs={"code": dossier.code, "document_code": document.code}
    )
    assert stranger.get(url).status_code == 404
    # A dossier the staff member sees does not open another owner's document.
    other_owner = received_birth_dossier({**people, "citizen": make_citizen()})
    desk = logged_in(people["desk"])
    crossed = reverse(
        "backoffice:dossier-data-store-document", kwargs={"code": other_owner.code, "document_code": document.code}
    )
    assert desk.get(crossed).status_code == 404
    assert reads() == []


# --- backfile ---------------------------------------------------------------------------------------------


def form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "owner_kind": "person",
        "owner_id_number": "042190001234",
        "owner_name": "Nguyễn Văn A",
        "result_number": "KQ.H99.000045",
        "type_code": "GKS",
        "name": "Giấy khai sinh",
        "issuer": "UBND xã An",
        "issued_on": "2018-04-02",
        "valid_until": "",
        "file": SimpleUploadedFile("scan.pdf", make_pdf("Giay khai sinh 2018"), content_type="application/pdf"),
    }
    data.update(overrides)
    return data


def snapshot(media: Path) -> dict[str, Any]:
    rows = {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label in {"core", "documents"}}
    return {"rows": rows, "files": sorted(str(p) for p in media.rglob("*") if p.is_file())}


def test_a_clerk_digitizes_an_earlier_paper_result(people, province) -> None:
    clerk = logged_in(make_staff(Role.CLERK, province["commune_a"]))
    page = clerk.get(reverse("backoffice:backfile"))
    assert page.status_code == 200
    done = clerk.post(reverse("backoffice:backfile"), form())
    assert done.status_code == 302
    document = DigitizedDocument.objects.get()
    assert (document.code, document.origin, document.valid_until) == ("042190001234.KQ.H99.000045.01", "backfile", None)
    after = clerk.get(done["Location"])
    assert "042190001234.KQ.H99.000045.01" in after.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"owner_id_number": "0421900012"}, "owner_id_number", "12 chữ số"),
        (
            {
                "file": SimpleUploadedFile(
                    "scan.pdf", b"<html><script>x</script></html>", content_type="application/pdf"
                )
            },
            "file",
            "Chỉ chấp nhận tệp PDF, JPEG hoặc PNG.",
        ),
    ],
)
def test_a_refused_backfile_shows_why_and_changes_nothing(people, tmp_path, overrides, field, message) -> None:
    desk = logged_in(people["desk"])
    before = snapshot(tmp_path)
    refused = desk.post(reverse("backoffice:backfile"), form(**overrides))
    assert refused.status_code == 400
    assert list(refused.context["form"].errors) == [field]
    assert message in refused.content.decode()
    assert snapshot(tmp_path) == before


def test_backfile_is_for_desk_officers_and_clerks(people, province) -> None:
    assert logged_in(people["specialist"]).get(reverse("backoffice:backfile")).status_code == 403
    assert logged_in(people["citizen"]).get(reverse("backoffice:backfile")).status_code == 403
