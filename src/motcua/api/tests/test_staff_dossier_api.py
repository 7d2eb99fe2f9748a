"""GET /api/v1/staff/dossiers: a unit's dossiers for its staff, newest first, 100 per cursor page."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from motcua.catalog.processes import process_steps
from motcua.dossiers.models import Dossier
from motcua.identity.constants import Role
from motcua.workflow.services import dossier_receive, dossier_submit_online
from tests.factories import make_staff
from tests.intake import birth_application
from tests.openapi import assert_matches_spec
from tests.second_factor import api_key_for
from tests.synthetic import synthetic_history

pytestmark = pytest.mark.usefixtures("monday_morning")

PATH = "/api/v1/staff/dossiers"


def client_for(user: Any) -> APIClient:
    """Token authentication, as other systems call the API: the user and grants are read per request."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(user)}")
    return client


@pytest.fixture
def history(people: dict[str, Any], province: dict[str, Any]) -> dict[str, Any]:
    """A synthetic history of both communes, then one dossier received this morning by the desk."""
    make_staff(Role.UNIT_LEADER, province["commune_a"])
    make_staff(Role.CLERK, province["commune_a"])
    synthetic_history(dossiers=260, seed=5)
    submitted = dossier_submit_online(actor=people["citizen"], application=birth_application())
    return {"today": dossier_receive(actor=people["desk"], code=submitted.code)}


def pages(client: APIClient, url: str) -> list[dict[str, Any]]:
    seen = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        assert_matches_spec(response, PATH)
        seen.append(response.json())
        url = response.json()["next"]
    return seen


def test_unit_staff_page_through_every_dossier_of_the_unit_newest_first(people: dict[str, Any], history: Any) -> None:
    expected = list(Dossier.objects.filter(competent_agency__code="H99.101").order_by("-id").values_list("code"))

    got = pages(client_for(people["specialist"]), f"{PATH}?unit=H99.101")

    assert [len(p["results"]) for p in got] == [100] * (len(expected) // 100) + [len(expected) % 100]
    assert [(row["code"],) for p in got for row in p["results"]] == expected
    assert got[0]["previous"] is None and got[1]["previous"] is not None


def test_a_row_says_where_the_dossier_is_and_how_urgent(people: dict[str, Any], history: Any) -> None:
    today = history["today"]

    first = client_for(people["desk"]).get(f"{PATH}?unit=H99.101").json()["results"][0]

    assert first == {
        "code": today.code,
        "procedure_code": "1.001193",
        "procedure_name": "Thủ tục đăng ký khai sinh",
        "applicant_name": people["citizen"].full_name,
        "applicant_id_number": "*********234",
        "channel": "online",
        "status": "received",
        "national_status": 2,
        "received_at": "2026-03-09T09:00:00+07:00",
        "due_at": "2026-03-10T09:00:00+07:00",
        "step": 1,
        "step_name": process_steps(today.process_id)[0].name,
        "step_due_at": "2026-03-09T09:15:00+07:00",
        "holder_agency": "H99.101",
        "holder_role": "desk_officer",
        "assignee": people["desk"].username,
        "urgency": "at_risk",  # at risk from one working day before due: now
    }


def test_closed_and_paused_dossiers_carry_no_urgency(people: dict[str, Any], history: Any) -> None:
    rows = [r for p in pages(client_for(people["desk"]), f"{PATH}?unit=H99.101") for r in p["results"]]

    by_status: dict[str, set[str]] = {}
    for row in rows:
        by_status.setdefault(row["status"], set()).add(row["urgency"])
    assert by_status["returned"] == {"none"}
    assert all(by_status[s] == {"none"} for s in by_status if s not in ("received", "in_progress"))
    held = [r for r in rows if r["status"] == "in_progress"]
    assert held and all(r["holder_agency"] == "H99.101" and r["holder_role"] for r in held)


def test_the_status_filter(people: dict[str, Any], history: Any) -> None:
    returned = Dossier.objects.filter(competent_agency__code="H99.101", status="returned").count()

    rows = [r for p in pages(client_for(people["desk"]), f"{PATH}?unit=H99.101&status=returned") for r in p["results"]]

    assert len(rows) == returned > 100
    assert {r["status"] for r in rows} == {"returned"}


def test_only_the_units_of_the_caller(people: dict[str, Any], province: dict[str, Any], history: Any) -> None:
    desk = client_for(people["desk"])
    for unit in ("H99.102", "H99.999", "H99"):
        response = desk.get(f"{PATH}?unit={unit}")
        assert (response.status_code, response["Content-Type"]) == (403, "application/problem+json")
        assert response.json()["code"] == "permission_denied"
    province_staff = client_for(make_staff(Role.SUPERVISOR, province["province"], include_subagencies=True))
    assert province_staff.get(f"{PATH}?unit=H99.102").status_code == 200
    assert province_staff.get(f"{PATH}?unit=H99.01").json() == {"next": None, "previous": None, "results": []}
    assert client_for(people["citizen"]).get(f"{PATH}?unit=H99.101").status_code == 403
    assert APIClient().get(f"{PATH}?unit=H99.101").status_code == 403


def test_a_bad_query_is_a_validation_problem(people: dict[str, Any], history: Any) -> None:
    desk = client_for(people["desk"])

    missing = desk.get(PATH)
    wrong = desk.get(f"{PATH}?unit=H99.101&status=lost")

    assert (missing.status_code, missing.json()["code"], list(missing.json()["errors"])) == (
        400,
        "validation_failed",
        ["unit"],
    )
    assert (wrong.status_code, list(wrong.json()["errors"])) == (400, ["status"])
    assert_matches_spec(wrong, PATH)


def test_a_page_costs_four_queries_whatever_it_holds(
    people: dict[str, Any], history: Any, django_assert_num_queries: Any
) -> None:
    desk = client_for(people["desk"])
    first = desk.get(f"{PATH}?unit=H99.101")  # the processes' steps are read once per process, then cached
    following = first.json()["next"]

    # The token with its user, the user's grants, the unit, the page.
    with django_assert_num_queries(4):
        assert len(desk.get(f"{PATH}?unit=H99.101").json()["results"]) == 100
    with django_assert_num_queries(4):
        assert len(desk.get(following).json()["results"]) == 100
    with django_assert_num_queries(3):  # refused before the page is read
        assert desk.get(f"{PATH}?unit=H99.102").status_code == 403
