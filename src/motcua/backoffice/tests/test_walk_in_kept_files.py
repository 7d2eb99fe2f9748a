"""The walk-in form keeps the scans already chosen when it comes back with errors (issue 12, item 4)."""

import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.backoffice.tests.test_intake_pages import walk_in_data, walk_in_url
from motcua.dossiers.models import Dossier, StagedUpload
from tests.intake import PDF, birth_documents, make_pdf

SCAN = make_pdf("scanned birth certificate")


def token_of(response: Any) -> str:
    match = re.search(r'name="form_token" value="([A-Za-z0-9_-]+)"', response.content.decode())
    assert match is not None
    return match.group(1)


def test_scans_survive_an_error_and_the_corrected_form_receives_one_dossier_with_both(
    client, people, monday_morning
) -> None:
    first, second = birth_documents()
    client.force_login(people["desk"])
    token = token_of(client.get(walk_in_url(people["citizen"])))
    scans = {
        f"file_{first.pk}": SimpleUploadedFile("to-khai.pdf", PDF),
        f"file_{second.pk}": SimpleUploadedFile("giay-chung-sinh.pdf", SCAN),
    }

    response = client.post(
        walk_in_url(people["citizen"]),
        {**walk_in_data(**{"eform-ngay_sinh": "not a date"}), **scans, "form_token": token},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert f"Already uploaded: to-khai.pdf ({len(PDF)}\xa0bytes)" in page
    assert f"Already uploaded: giay-chung-sinh.pdf ({len(SCAN)}\xa0bytes)" in page
    assert Dossier.objects.count() == 0

    response = client.post(walk_in_url(people["citizen"]), {**walk_in_data(), "form_token": token})

    dossier = Dossier.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/can-bo/ho-so/{dossier.code}/")
    assert list(dossier.documents.order_by("id").values_list("original_name", "size", "original_seen")) == [
        ("to-khai.pdf", len(PDF), False),
        ("giay-chung-sinh.pdf", len(SCAN), False),
    ]
    assert StagedUpload.objects.count() == 0


def test_another_officer_cannot_use_the_kept_scans(client, people, monday_morning) -> None:
    first, second = birth_documents()
    client.force_login(people["desk"])
    token = token_of(client.get(walk_in_url(people["citizen"])))
    client.post(
        walk_in_url(people["citizen"]),
        {**walk_in_data(), f"file_{first.pk}": SimpleUploadedFile("to-khai.pdf", PDF), "form_token": token},
    )
    assert StagedUpload.objects.get().owner == people["desk"]

    client.force_login(people["other_desk"])
    response = client.post(
        walk_in_url(people["citizen"]),
        {**walk_in_data(desk="H99.102.MC"), f"paper_{second.pk}": "original", "form_token": token},
    )
    assert response.status_code == 400
    assert response.context["missing"] == ["Tờ khai đăng ký khai sinh"]
    assert Dossier.objects.count() == 0
