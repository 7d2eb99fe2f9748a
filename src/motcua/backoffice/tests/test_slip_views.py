"""Staff download of a dossier's slips as PDF: scoped to the dossiers the officer may see."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from motcua.dossiers.models import Dossier
from motcua.workflow.services import (
    dossier_receive,
    dossier_refuse,
    dossier_request_supplement,
    dossier_submit_online,
)
from tests.intake import birth_application

CODE = "H99.101-260309-0001"


def slip_url(kind: str, code: str = CODE) -> str:
    return reverse("backoffice:dossier-slip", kwargs={"code": code, "kind": kind})


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


@pytest.fixture
def submitted(people: dict[str, Any], monday_morning: Any) -> Dossier:
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    assert dossier.code == CODE
    return dossier


def test_the_desk_downloads_the_receipt_of_a_received_dossier(client, people, submitted) -> None:
    dossier_receive(actor=people["desk"], code=CODE)
    client.force_login(people["desk"])

    response = client.get(slip_url("receipt"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="receipt-{CODE}.pdf"'
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert f"Mã hồ sơ: {CODE}" in text
    assert submitted.applicant_name in text


def test_staff_of_the_competent_agency_also_get_it(client, people, submitted) -> None:
    dossier_receive(actor=people["desk"], code=CODE)
    client.force_login(people["specialist"])

    assert client.get(slip_url("receipt")).status_code == 200


def test_a_desk_of_another_commune_does_not_see_the_dossier(client, people, submitted) -> None:
    dossier_receive(actor=people["desk"], code=CODE)
    client.force_login(people["other_desk"])

    assert client.get(slip_url("receipt")).status_code == 404


def test_no_receipt_before_reception_and_no_unknown_kind(client, people, submitted) -> None:
    client.force_login(people["desk"])

    assert client.get(slip_url("receipt")).status_code == 404
    assert client.get(slip_url("invoice")).status_code == 404
    assert client.get(slip_url("receipt", code="H99.101-260309-9999")).status_code == 404


def test_the_refusal_slip_exists_once_refused(client, people, submitted) -> None:
    client.force_login(people["desk"])
    assert client.get(slip_url("refusal")).status_code == 404

    dossier_refuse(actor=people["desk"], code=CODE, reason="Hồ sơ không thuộc thẩm quyền.")
    response = client.get(slip_url("refusal"))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'inline; filename="refusal-{CODE}.pdf"'
    assert "Hồ sơ không thuộc thẩm quyền." in pdf_text(response.content)
    assert client.get(slip_url("receipt")).status_code == 404


def test_the_supplement_guide_exists_once_requested(client, people, submitted) -> None:
    client.force_login(people["desk"])
    assert client.get(slip_url("supplement")).status_code == 404

    dossier_request_supplement(actor=people["desk"], code=CODE, missing=["Bản chính Giấy chứng sinh"], note="")
    response = client.get(slip_url("supplement"))

    assert response.status_code == 200
    assert "1. Bản chính Giấy chứng sinh" in pdf_text(response.content)


def test_anonymous_users_log_in_and_citizens_are_refused(client, people, submitted) -> None:
    dossier_receive(actor=people["desk"], code=CODE)

    assert client.get(slip_url("receipt")).status_code == 302
    client.force_login(people["citizen"])
    assert client.get(slip_url("receipt")).status_code == 403


def test_post_is_not_allowed(client, people, submitted) -> None:
    dossier_receive(actor=people["desk"], code=CODE)
    client.force_login(people["desk"])

    assert client.post(slip_url("receipt")).status_code == 405
