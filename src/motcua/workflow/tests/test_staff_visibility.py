"""One rule decides which staff see a dossier (dossiers.selectors.staff_sees), everywhere.

Before issue 13, the API and the desk's dossier page used receiving-or-competent only, while the
processing pages also admitted the holder and consulted agencies: a consulted agency's specialist
could answer from the processing page but got 404 from the API.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from motcua.dossiers.selectors import dossiers_visible_to
from motcua.identity.constants import Role
from motcua.workflow.access import dossier_for_staff
from motcua.workflow.processing import dossier_consult, dossier_forward
from tests.factories import make_staff
from tests.processing import received_birth_dossier

pytestmark = pytest.mark.usefixtures("monday_morning")


def api_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def seen_by(user: Any, code: str) -> dict[str, bool]:
    """Where ``user`` finds dossier ``code``: the selector, the API list and detail, both staff pages."""
    api = api_for(user)
    listed = [row["code"] for row in api.get("/api/v1/dossiers").json()["results"]]
    pages = Client()
    pages.force_login(user)
    return {
        "selector": dossiers_visible_to(user).filter(code=code).exists(),
        "processing selector": dossier_for_staff(user, code) is not None,
        "api list": code in listed,
        "api detail": api.get(f"/api/v1/dossiers/{code}").status_code == 200,
        "dossier page": pages.get(f"/can-bo/ho-so/{code}/").status_code == 200,
        "processing page": pages.get(f"/can-bo/xu-ly/{code}/").status_code == 200,
    }


def test_a_consulted_agency_sees_the_dossier_everywhere_and_another_agency_nowhere(
    people: dict[str, Any], province: dict[str, Any]
) -> None:
    dossier = received_birth_dossier(people)  # received and decided by commune A
    dossier_forward(actor=people["desk"], code=dossier.code, assignee=people["specialist"])
    consulted = make_staff(Role.SPECIALIST, province["department"])
    stranger = make_staff(Role.SPECIALIST, province["commune_b"])
    assert seen_by(consulted, dossier.code) == dict.fromkeys(seen_by(stranger, dossier.code), False)

    dossier_consult(
        actor=people["specialist"], code=dossier.code, agency_codes=["H99.01"], question="Xác minh?", hours=4
    )

    everywhere = {
        "selector": True,
        "processing selector": True,
        "api list": True,
        "api detail": True,
        "dossier page": True,
        "processing page": True,
    }
    assert seen_by(consulted, dossier.code) == everywhere
    assert seen_by(stranger, dossier.code) == dict.fromkeys(everywhere, False)
