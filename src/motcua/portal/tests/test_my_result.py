"""The applicant downloads the signed electronic result from "My dossiers"; nobody else can."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from motcua.dossiers.models import DossierResult
from motcua.signing import verify_pdf
from motcua.workflow.constants import ReturnVia
from motcua.workflow.processing import (
    dossier_approve,
    dossier_forward,
    dossier_issue_result,
    dossier_return_result,
)
from tests.factories import make_citizen
from tests.processing import process_staff, received_birth_dossier


@pytest.fixture
def staff(province, people, settings, tmp_path, monday_morning):
    # Certificates are issued at the frozen time, so they are valid when the leader signs.
    return process_staff(province, settings, tmp_path)


def approved(people: dict[str, Any], staff: dict[str, Any]) -> str:
    code = received_birth_dossier(people).code
    dossier_forward(actor=people["desk"], code=code, assignee=people["specialist"])
    dossier_forward(actor=people["specialist"], code=code, assignee=staff["leader"])
    dossier_approve(actor=staff["leader"], code=code, note="Đủ điều kiện", assignee=staff["clerk"])
    return code


def result_url(code: str) -> str:
    return reverse("portal:my-dossier-result", kwargs={"code": code})


def test_the_applicant_downloads_the_signed_result(client, people, staff, monday_morning) -> None:
    code = approved(people, staff)
    dossier_issue_result(actor=staff["clerk"], code=code)
    client.force_login(people["citizen"])

    page = client.get(reverse("portal:my-dossier", kwargs={"code": code}))
    assert page.status_code == 200
    result = page.context["result"]
    assert (result.number, result.signed_by, result.decision) == ("KQ.H99.000001", staff["leader"], "granted")
    html = page.content.decode()
    assert f'href="{result_url(code)}"' in html
    assert f'href="{reverse("portal:signature-verify")}"' in html
    assert "KQ.H99.000001" in html and staff["leader"].full_name in html

    response = client.get(result_url(code))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{code}-ket-qua.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    report = verify_pdf(response.content)
    assert [(s.signer_name, s.intact, s.trusted, s.valid) for s in report.signatures] == [
        ("Hoàng Văn Lãnh", True, True, True)
    ]
    assert response.content == DossierResult.objects.get(dossier__code=code).file.read()

    dossier_return_result(actor=people["desk"], code=code, via=ReturnVia.ELECTRONIC)
    assert client.get(result_url(code)).status_code == 200  # still theirs once returned


def test_no_result_before_it_is_issued(client, people, staff, monday_morning) -> None:
    code = approved(people, staff)  # signed, but the clerk has not numbered and issued it yet
    client.force_login(people["citizen"])
    assert client.get(result_url(code)).status_code == 404
    page = client.get(reverse("portal:my-dossier", kwargs={"code": code}))
    assert page.context["result"] is None
    assert result_url(code) not in page.content.decode()


def test_another_citizen_gets_404(client, people, staff, monday_morning) -> None:
    code = approved(people, staff)
    dossier_issue_result(actor=staff["clerk"], code=code)
    client.force_login(make_citizen())
    assert client.get(result_url(code)).status_code == 404
    assert client.get(result_url("H99.101-260309-9999")).status_code == 404
    client.force_login(people["desk"])  # staff download results in the back office
    assert client.get(result_url(code)).status_code == 403
