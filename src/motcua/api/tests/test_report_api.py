"""GET /api/v1/reports/indicators on the hand-checked history: exact figures, scoping, problems, schema."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from motcua.catalog.models import Procedure
from motcua.identity.constants import Role
from tests.factories import make_staff
from tests.openapi import assert_matches_spec
from tests.reports import small_history

URL = "/api/v1/reports/indicators"
PATH = "/api/v1/reports/indicators"
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


@pytest.fixture
def history(province, people, settings, tmp_path, monday_morning):
    return small_history(province, people, settings, tmp_path, monday_morning)


def client_for(user: Any) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")  # labels and messages are asserted in English
    client.force_authenticate(user)
    return client


@pytest.fixture
def supervisor(history) -> APIClient:
    return client_for(make_staff(Role.SUPERVISOR, history["province"], include_subagencies=True))


def test_the_indicators_of_a_commune_in_march(supervisor) -> None:
    response = supervisor.get(URL, {"agency": "H99.101", **MARCH})
    assert response.status_code == 200
    assert_matches_spec(response, PATH)
    body = response.json()
    assert {k: body[k] for k in ("agency", "from", "to", "sector", "procedure", "generated_at")} == {
        "agency": {"code": "H99.101", "name": "Xã An", "level": "commune"},
        "from": "2026-03-01",
        "to": "2026-03-31",
        "sector": None,
        "procedure": None,
        "generated_at": "2026-03-11T10:00:00+07:00",
    }
    figures = {
        i["key"]: (i["value"], i["numerator"], i["denominator"], i["target"], i["comparator"], i["met"])
        for i in body["indicators"]
    }
    assert figures == {
        "received": ("4", None, None, None, None, None),
        "received_desk": ("1", None, None, None, None, None),
        "received_online": ("3", None, None, None, None, None),
        "received_postal": ("0", None, None, None, None, None),
        "online_share": ("75.00", 3, 4, "60.00", "gte", True),
        "finished_early": ("1", None, None, None, None, None),
        "finished_on_time": ("0", None, None, None, None, None),
        "finished_late": ("0", None, None, None, None, None),
        "on_time_share": ("100.00", 1, 1, "100.00", "gte", True),
        "open_not_due": ("1", None, None, None, None, None),
        "open_overdue": ("1", None, None, "0.00", "lte", False),
        "timeliness": ("50.00", 2, 4, None, None, None),
        "supplements": ("1", None, None, None, None, None),
        "refused": ("1", None, None, None, None, None),
        "withdrawn": ("1", None, None, None, None, None),
        "stopped": ("0", None, None, None, None, None),
        "online_procedures_offered": ("66.67", 2, 3, None, None, None),
        "online_procedures_used": ("50.00", 1, 2, "50.00", "gte", True),
        "e_result_share": ("100.00", 1, 1, "100.00", "gte", True),
        "returned_electronic_share": ("100.00", 1, 1, None, None, None),
        "digitized_share": ("75.00", 3, 4, "100.00", "gte", False),
        "desk_productivity": ("47", 4, 1, "800.00", "gte", False),
        "apologies": ("0", None, None, None, None, None),
        "reuse_share": ("0.00", 0, 4, "50.00", "gte", False),
        "not_asked_again": (None, 0, 0, "80.00", "gte", None),
        "ecopy_offered": ("0.00", 0, 1, "100.00", "gte", False),
        "ecopy_used": (None, 0, 0, "20.00", "gte", None),
        "backfile": ("0", None, None, None, None, None),
        "moved_electronic": (None, 0, 0, "80.00", "gte", None),
        "sync_share": (None, None, None, None, None, None),  # the national sync is off in the tests
        "sync_lag_p95": (None, None, None, None, None, None),
        "sync_dead_letters": (None, None, None, None, None, None),
        "online_paid_share": (None, 0, 0, "50.00", "gte", None),  # no fee in the history: not measured
        "online_payment_procedures_share": (None, 0, 0, None, None, None),
        "collected_online": ("0", None, None, None, None, None),
        "collected_cash": ("0", None, None, None, None, None),
        "collected_transfer": ("0", None, None, None, None, None),
        # Issue 17: nothing of the citizen's voice in this history.
        "feedback_received": ("0", None, None, None, None, None),
        "feedback_on_time_share": (None, 0, 0, "100.00", "gte", None),
        "feedback_open_overdue": ("0", None, None, "0.00", "lte", True),
        "ratings": ("0", None, None, None, None, None),
        "satisfaction_share": (None, 0, 0, "95.00", "gte", None),
        "tickets_called": ("0", None, None, None, None, None),
        "queue_wait_average": (None, None, None, "15.00", "lte", None),
        "queue_service_average": (None, None, None, None, None, None),
    }
    online = next(i for i in body["indicators"] if i["key"] == "online_share")
    assert (online["label"], online["unit"]) == ("Share received online", "percent")
    groups = {
        g["code"]: (g["max_points"], g["score"], g["measured"], g["unmeasured_points"]) for g in body["scorecard"]
    }
    assert groups == {
        "publicity": ("18.00", None, False, "18.00"),
        "timeliness": ("20.00", "10.00", True, "0.00"),
        "online": ("12.00", "8.67", True, "0.00"),
        "payment": ("10.00", None, False, "10.00"),
        "satisfaction": ("18.00", None, False, "18.00"),
        "digitization": ("22.00", "14.50", True, "0.00"),
    }
    reuse = next(g for g in body["scorecard"] if g["code"] == "digitization")["items"][2]
    assert (reuse["code"], reuse["measured"], reuse["value"], reuse["score"]) == ("reuse", True, "0.00", "0.00")
    backfile = next(i for i in body["indicators"] if i["key"] == "backfile")
    assert (backfile["label"], backfile["unit"]) == ("Earlier results digitized into data stores", "documents")


def test_a_procedure_and_its_sector_narrow_the_figures(supervisor) -> None:
    birth = Procedure.objects.select_related("sector").get(code="1.001193")
    body = supervisor.get(URL, {"agency": "H99", **MARCH, "sector": birth.sector.code, "procedure": "1.001193"}).json()
    assert (body["sector"], body["procedure"]) == (birth.sector.code, "1.001193")
    assert next(i["value"] for i in body["indicators"] if i["key"] == "received") == "4"
    other = supervisor.get(URL, {"agency": "H99", **MARCH, "procedure": "2.000815"}).json()
    assert next(i["value"] for i in other["indicators"] if i["key"] == "received") == "0"


def test_the_endpoint_reads_a_fixed_number_of_queries(supervisor, django_assert_num_queries) -> None:
    # agency, grants, 12 for the indicators, 2 for the scorecard
    with django_assert_num_queries(19):  # 12, 2 of digitization, 2 of payments, 3 of feedback, ratings, queue
        assert supervisor.get(URL, {"agency": "H99", "from": "2021-04-01", "to": "2026-03-31"}).status_code == 200


@pytest.mark.parametrize(
    ("params", "code", "errors"),
    [
        (
            {"from": "2026-03-01", "to": "2026-03-31"},
            "agency_unknown",
            {"agency": ["Give the code of an agency, e.g. H99.101."]},
        ),
        ({"agency": "X99", **MARCH}, "agency_unknown", {"agency": ["No active agency has the code “X99”."]}),
        ({"agency": "H99.101", "to": "2026-03-31"}, "report_dates_invalid", {"from": ["Give a date like 2026-03-31."]}),
        (
            {"agency": "H99.101", "from": "01/03/2026", "to": "2026-03-31"},
            "report_dates_invalid",
            {"from": ["“01/03/2026” is not a date like 2026-03-31."]},
        ),
        (
            {"agency": "H99.101", "from": "2026-03-31", "to": "2026-03-01"},
            "report_dates_invalid",
            {"to": ["The end of the period must not be before its start."]},
        ),
        (
            {"agency": "H99.101", "from": "2021-03-31", "to": "2026-03-31"},
            "report_range_too_long",
            {"to": ["A report covers at most 5 years; choose a shorter period."]},
        ),
        (
            {"agency": "H99.101", **MARCH, "sector": "NOPE"},
            "sector_unknown",
            {"sector": ["No sector has the code “NOPE”."]},
        ),
        (
            {"agency": "H99.101", **MARCH, "procedure": "9.999999"},
            "procedure_unknown",
            {"procedure": ["No procedure has the code “9.999999”."]},
        ),
    ],
)
def test_bad_queries_are_problems_with_stable_codes(supervisor, params, code, errors) -> None:
    response = supervisor.get(URL, params)
    assert (response.status_code, response["Content-Type"]) == (400, "application/problem+json")
    body = response.json()
    assert (body["code"], body["errors"]) == (code, errors)
    assert_matches_spec(response, PATH)


def test_five_whole_years_are_allowed(supervisor) -> None:
    assert supervisor.get(URL, {"agency": "H99.101", "from": "2021-04-01", "to": "2026-03-31"}).status_code == 200


def test_only_the_callers_units_are_readable(history) -> None:
    leader_b = client_for(make_staff(Role.UNIT_LEADER, history["commune_b"]))
    refused = leader_b.get(URL, {"agency": "H99.101", **MARCH})
    assert (refused.status_code, refused.json()["code"]) == (403, "report_agency_forbidden")
    assert_matches_spec(refused, PATH)
    assert leader_b.get(URL, {"agency": "H99.102", **MARCH}).status_code == 200
    # the province is above the leader's unit: refused too
    assert leader_b.get(URL, {"agency": "H99", **MARCH}).json()["code"] == "report_agency_forbidden"


@pytest.mark.parametrize("role", [Role.DESK_OFFICER, Role.SPECIALIST, Role.CLERK, Role.ADMINISTRATOR])
def test_staff_who_do_not_watch_units_and_citizens_are_refused(history, people, role) -> None:
    staff = client_for(make_staff(role, history["province"], include_subagencies=True))
    response = staff.get(URL, {"agency": "H99.101", **MARCH})
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    citizen = client_for(people["citizen"])
    assert citizen.get(URL, {"agency": "H99.101", **MARCH}).json()["code"] == "permission_denied"
    anonymous = APIClient().get(URL, {"agency": "H99.101", **MARCH})
    assert (anonymous.status_code, anonymous.json()["code"]) == (403, "not_authenticated")
