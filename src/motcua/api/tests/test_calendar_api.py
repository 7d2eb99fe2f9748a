from datetime import date

import pytest
from rest_framework.test import APIClient

from motcua.agencies.calendar import calendar_day_set

pytestmark = pytest.mark.django_db

DUE = "/api/v1/calendar/due-time"
DAYS = "/api/v1/calendar/days"
START = "2026-02-13T16:00:00+07:00"


@pytest.fixture
def api() -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")  # messages are asserted in English


def problem(response) -> tuple[int, str, str, dict]:
    body = response.json()
    return response.status_code, response["Content-Type"], body["code"], body.get("errors", {})


def test_due_time_over_tet(api) -> None:
    response = api.get(DUE, {"start": START, "working_days": "3"})
    assert response.status_code == 200
    assert response.json() == {
        "start": START,
        "clock_start": START,
        "due_at": "2026-02-25T16:00:00+07:00",
        "unit": "working_days",
        "amount": "3",
    }


@pytest.mark.parametrize(
    ("params", "clock_start", "due"),
    [
        ({"working_days": "3", "cutoff": "15:00"}, "2026-02-23T07:30:00+07:00", "2026-02-25T17:00:00+07:00"),
        ({"working_days": "1.50"}, START, "2026-02-24T10:30:00+07:00"),
        ({"working_hours": "4"}, START, "2026-02-23T10:30:00+07:00"),
        ({"calendar_days": "3"}, START, "2026-02-23T17:00:00+07:00"),
        (
            {
                "working_days": "3",
                "pause": [
                    "2026-02-23T07:30:00+07:00/2026-02-23T11:30:00+07:00",
                    "2026-02-23T13:00:00+07:00/2026-02-23T17:00:00+07:00",
                ],
            },
            START,
            "2026-02-26T16:00:00+07:00",
        ),
    ],
)
def test_due_time_options(api, params: dict, clock_start: str, due: str) -> None:
    body = api.get(DUE, {"start": START, **params}).json()
    assert (body["clock_start"], body["due_at"]) == (clock_start, due)


def test_national_day_swap(api) -> None:
    body = api.get(DUE, {"start": "2026-08-28T10:00:00+07:00", "working_days": 2}).json()
    assert (body["due_at"], body["amount"]) == ("2026-09-04T10:00:00+07:00", "2")


def test_an_unescaped_plus_in_the_query_string_is_understood(api) -> None:
    response = api.get(f"{DUE}?start=2026-02-13T16:00:00+07:00&working_days=3")  # "+" arrives as a space
    assert response.json()["due_at"] == "2026-02-25T16:00:00+07:00"


def test_agency_calendar(api, province) -> None:
    calendar_day_set(
        actor=None, date=date(2026, 2, 16), kind="extra_working_day", name="Trực Tết", agency=province["commune_a"]
    )
    body = api.get(DUE, {"start": START, "working_days": "3", "agency": "H99.101"}).json()
    assert body["due_at"] == "2026-02-24T16:00:00+07:00"


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        (
            {"start": "tomorrow", "working_days": "3"},
            {"start": ["“tomorrow” is not a date and time like 2026-02-13T16:00:00+07:00."]},
        ),
        (
            {"start": START, "working_days": "-1"},
            {"working_days": ["Ensure this value is greater than or equal to 0."]},
        ),
        (
            {"start": START},
            {
                name: ["Give exactly one of working_days, working_hours, calendar_days."]
                for name in ("working_days", "working_hours", "calendar_days")
            },
        ),
        (
            {"start": START, "working_days": "1", "working_hours": "2"},
            {
                name: ["Give exactly one of working_days, working_hours, calendar_days."]
                for name in ("working_days", "working_hours", "calendar_days")
            },
        ),
        (
            {"start": START, "working_days": "3", "pause": "2026-02-23T10:00:00+07:00/2026-02-23T09:00:00+07:00"},
            {"pause": ["The pause ends (2026-02-23T09:00:00+07:00) before it starts (2026-02-23T10:00:00+07:00)."]},
        ),
        (
            {"start": START, "working_days": "3", "pause": "2026-02-23T10:00:00+07:00"},
            {
                "pause": {
                    "0": ["A pause is written START/END, e.g. 2026-03-02T08:00:00+07:00/2026-03-04T08:00:00+07:00."]
                }
            },
        ),
        ({"start": START, "working_days": "3", "agency": "X99"}, {"agency": ["No active agency has the code “X99”."]}),
        (
            {"start": "2036-01-02T08:00:00+07:00", "working_days": "3"},
            {
                "start": [
                    "The due time cannot be computed: 2036-01-02T08:00:00+07:00 is outside the calendar "
                    "(2020-01-01 to 2035-12-31)."
                ]
            },
        ),
    ],
)
def test_bad_due_time_queries_are_validation_problems(api, params: dict, errors: dict) -> None:
    response = api.get(DUE, params)
    assert problem(response) == (400, "application/problem+json", "validation_failed", errors)


def test_days_of_2026(api) -> None:
    response = api.get(DAYS, {"year": 2026})
    assert response.status_code == 200
    days = response.json()
    assert [(d["date"], d["kind"]) for d in days] == [
        ("2026-01-01", "day_off"),
        ("2026-02-16", "day_off"),
        ("2026-02-17", "day_off"),
        ("2026-02-18", "day_off"),
        ("2026-02-19", "day_off"),
        ("2026-02-20", "day_off"),
        ("2026-04-27", "day_off"),
        ("2026-04-30", "day_off"),
        ("2026-05-01", "day_off"),
        ("2026-08-22", "extra_working_day"),
        ("2026-08-31", "day_off"),
        ("2026-09-01", "day_off"),
        ("2026-09-02", "day_off"),
        ("2026-11-24", "day_off"),
    ]
    assert days[9] == {
        "date": "2026-08-22",
        "kind": "extra_working_day",
        "name": "Ngày làm bù cho ngày nghỉ 31/08/2026",
    }


def test_days_of_an_agency_include_its_overrides(api, province) -> None:
    calendar_day_set(
        actor=None, date=date(2026, 8, 22), kind="day_off", name="Không làm bù", agency=province["department"]
    )
    days = api.get(DAYS, {"year": 2026, "agency": "H99.01.01"}).json()
    assert [d for d in days if d["date"] == "2026-08-22"] == [
        {"date": "2026-08-22", "kind": "day_off", "name": "Không làm bù"}
    ]
    plain = api.get(DAYS, {"year": 2026}).json()
    assert [d["kind"] for d in plain if d["date"] == "2026-08-22"] == ["extra_working_day"]


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({}, {"year": ["This field is required."]}),
        ({"year": "twenty"}, {"year": ["A valid integer is required."]}),
        ({"year": 2040}, {"year": ["The calendar covers 2020 to 2035."]}),
        ({"year": 2026, "agency": "X99"}, {"agency": ["No active agency has the code “X99”."]}),
    ],
)
def test_bad_days_queries_are_validation_problems(api, params: dict, errors: dict) -> None:
    assert problem(api.get(DAYS, params)) == (400, "application/problem+json", "validation_failed", errors)


def test_calendar_endpoints_are_in_the_schema() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    due = schema["paths"]["/api/v1/calendar/due-time"]["get"]
    assert due["operationId"] == "calendar_due_time"
    assert {p["name"] for p in due["parameters"]} == {
        "start",
        "working_days",
        "working_hours",
        "calendar_days",
        "cutoff",
        "pause",
        "agency",
    }
    assert schema["paths"]["/api/v1/calendar/days"]["get"]["operationId"] == "calendar_days"
