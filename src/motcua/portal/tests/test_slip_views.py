"""The applicant downloads the slips of their own dossier as PDF."""

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
from tests.factories import make_citizen
from tests.intake import birth_application

CODE = "H99.101-260309-0001"


def slip_url(kind: str, code: str = CODE) -> str:
    return reverse("portal:my-dossier-slip", kwargs={"code": code, "kind": kind})


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


@pytest.fixture
def submitted(people: dict[str, Any], monday_morning: Any) -> Dossier:
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    assert dossier.code == CODE
    return dossier


def test_the_applicant_downloads_the_receipt_once_received(client, people, submitted, settings) -> None:
    settings.SITE_URL = "https://dvc.example.vn"
    client.force_login(people["citizen"])
    assert client.get(slip_url("receipt")).status_code == 404  # not received yet

    dossier_receive(actor=people["desk"], code=CODE)
    response = client.get(slip_url("receipt"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="receipt-{CODE}.pdf"'
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    assert f"Mã hồ sơ: {CODE}" in text
    assert "5. Thời gian trả kết quả giải quyết hồ sơ: 09:00, ngày 10/03/2026" in text
    assert f"https://dvc.example.vn/tra-cuu/{CODE}/" in text


def test_another_citizen_does_not_see_the_dossier(client, people, submitted) -> None:
    dossier_receive(actor=people["desk"], code=CODE)
    client.force_login(make_citizen())

    assert client.get(slip_url("receipt")).status_code == 404


def test_the_refusal_slip_after_refusal(client, people, submitted) -> None:
    dossier_refuse(actor=people["desk"], code=CODE, reason="Thiếu giấy chứng sinh.")
    client.force_login(people["citizen"])

    response = client.get(slip_url("refusal"))

    assert response.status_code == 200
    assert "Thiếu giấy chứng sinh." in pdf_text(response.content)
    assert client.get(slip_url("receipt")).status_code == 404


def test_the_supplement_guide_after_the_request(client, people, submitted) -> None:
    dossier_receive(actor=people["desk"], code=CODE)
    dossier_request_supplement(actor=people["desk"], code=CODE, missing=["Giấy chứng sinh có dấu"], note="")
    client.force_login(people["citizen"])

    response = client.get(slip_url("supplement"))

    assert response.status_code == 200
    assert "1. Giấy chứng sinh có dấu" in pdf_text(response.content)


def test_anonymous_users_log_in_and_staff_use_the_back_office(client, people, submitted) -> None:
    dossier_receive(actor=people["desk"], code=CODE)

    assert client.get(slip_url("receipt")).status_code == 302
    client.force_login(people["desk"])
    assert client.get(slip_url("receipt")).status_code == 403
