from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from motcua.agencies.calendar import deployment_calendar
from motcua.agencies.calendar_models import CalendarDay
from motcua.core.models import AuditEntry
from motcua.core.working_time import DurationUnit
from motcua.identity.constants import Role
from tests.factories import make_province_tree, make_staff, row_counts

pytestmark = pytest.mark.django_db

URL = "/can-bo/lich/"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_8 = datetime(2026, 3, 2, 8, tzinfo=VN)


@pytest.fixture
def tree():
    return make_province_tree()


@pytest.fixture
def admin(client, tree):
    user = make_staff(Role.ADMINISTRATOR, tree["province"], include_subagencies=True)
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # messages are asserted in English
    return user


def two_days_from_monday() -> datetime:
    return deployment_calendar().due_at(MONDAY_8, 2, DurationUnit.WORKING_DAYS)


def test_the_month_view_shows_the_seeded_tet(client, admin) -> None:
    response = client.get(URL, {"year": 2026, "month": 2})
    assert response.status_code == 200
    weeks = response.context["weeks"]
    assert [cell.day for cell in weeks[0]][:2] == [date(2026, 1, 26), date(2026, 1, 27)]  # weeks start on Monday
    cells = {cell.day: cell for week in weeks for cell in week}
    assert (cells[date(2026, 2, 16)].kind, cells[date(2026, 2, 16)].name) == ("day_off", "Giao thừa Tết Nguyên Đán")
    assert [cells[date(2026, 2, d)].kind for d in range(13, 24)] == [
        "working",
        "weekend",
        "weekend",
        "day_off",
        "day_off",
        "day_off",
        "day_off",
        "day_off",
        "weekend",
        "weekend",
        "working",
    ]
    page = response.content.decode()
    assert "Giao thừa Tết Nguyên Đán" in page
    assert 'href="/can-bo/lich/?year=2026&amp;month=1"' in page
    assert 'href="/can-bo/lich/?year=2026&amp;month=3"' in page
    assert 'href="/can-bo/lich/"' in page  # the navigation link


def test_the_make_up_saturday_is_shown_as_an_extra_working_day(client, admin) -> None:
    cells = {c.day: c for w in client.get(URL, {"year": 2026, "month": 8}).context["weeks"] for c in w}
    assert (cells[date(2026, 8, 22)].kind, cells[date(2026, 8, 31)].kind) == ("extra_working_day", "day_off")


def test_year_boundaries_of_the_links(client, admin) -> None:
    response = client.get(URL, {"year": 2026, "month": 12})
    assert (response.context["previous_url"], response.context["next_url"]) == (
        "/can-bo/lich/?year=2026&month=11",
        "/can-bo/lich/?year=2027&month=1",
    )


def test_without_or_with_a_bad_month_it_shows_the_current_month(client, admin, time_machine) -> None:
    time_machine.move_to(datetime(2026, 11, 23, 9, tzinfo=VN), tick=False)
    for query in [{}, {"year": "x", "month": "2"}, {"year": 2026, "month": 13}]:
        response = client.get(URL, query)
        assert (response.status_code, response.context["year"], response.context["month"]) == (200, 2026, 11)
    cells = [c for w in response.context["weeks"] for c in w if c.today]
    assert [c.day for c in cells] == [date(2026, 11, 23)]


def test_marking_a_day_off_changes_the_next_due_time_and_is_audited(client, admin) -> None:
    assert two_days_from_monday() == datetime(2026, 3, 4, 8, tzinfo=VN)
    response = client.post(
        f"{URL}?year=2026&month=3",
        {"date": "2026-03-03", "action": "day_off", "name": "Ngày nghỉ của tỉnh"},
        follow=True,
    )
    assert response.redirect_chain == [("/can-bo/lich/?year=2026&month=3", 302)]
    assert "03/03/2026 is now a day off." in response.content.decode()
    assert two_days_from_monday() == datetime(2026, 3, 5, 8, tzinfo=VN)
    row = CalendarDay.objects.get(date=date(2026, 3, 3), agency__isnull=True)
    assert (row.kind, row.name, row.source) == ("day_off", "Ngày nghỉ của tỉnh", "admin")
    entry = AuditEntry.objects.get(action="calendar_day_set")
    assert (entry.actor, entry.object_id, entry.data["date"]) == (admin, str(row.pk), "2026-03-03")

    response = client.post(f"{URL}?year=2026&month=3", {"date": "2026-03-03", "action": "remove"}, follow=True)
    assert "The day set on 03/03/2026 was removed." in response.content.decode()
    assert two_days_from_monday() == datetime(2026, 3, 4, 8, tzinfo=VN)
    assert AuditEntry.objects.filter(action="calendar_day_remove", actor=admin).count() == 1


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (
            {"date": "2026-03-04", "action": "extra_working_day"},
            "04/03/2026 is a working day already: an extra working day must fall on a weekend or on a day off of "
            "the calendar above. To cancel a day off, remove it.",
        ),
        (
            {"date": "2026-03-08", "action": "day_off"},
            "08/03/2026 is not a working day already: a day off must fall on a working day.",
        ),
        (
            {"date": "2026-03-04", "action": "remove"},
            "There is no day off or extra working day on 04/03/2026 to remove.",
        ),
        (
            {"date": "2026-03-04", "action": "holiday"},
            "Select a valid choice. holiday is not one of the available choices.",
        ),
        ({"date": "04-03-2026x", "action": "day_off"}, "Enter a valid date."),
        ({"action": "day_off"}, "This field is required."),
    ],
)
def test_a_bad_post_changes_nothing_and_shows_the_error(client, admin, data: dict, error: str) -> None:
    before = row_counts()
    response = client.post(f"{URL}?year=2026&month=3", data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert row_counts() == before
    assert two_days_from_monday() == datetime(2026, 3, 4, 8, tzinfo=VN)


def test_an_agency_override_from_the_month_view(client, admin, tree) -> None:
    response = client.post(
        f"{URL}?year=2026&month=2&agency=H99.101",
        {"date": "2026-02-16", "action": "extra_working_day", "name": "Trực Tết"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/can-bo/lich/?year=2026&month=2&agency=H99.101"
    assert deployment_calendar(tree["commune_a"]).is_working_day(date(2026, 2, 16))
    assert not deployment_calendar().is_working_day(date(2026, 2, 16))
    cells = {c.day: c for w in client.get(response["Location"]).context["weeks"] for c in w}
    cell = cells[date(2026, 2, 16)]
    assert (cell.kind, cell.name, cell.decided_by, cell.set_here) == ("extra_working_day", "Trực Tết", "H99.101", True)
    deployment_cells = {c.day: c for w in client.get(URL, {"year": 2026, "month": 2}).context["weeks"] for c in w}
    assert deployment_cells[date(2026, 2, 16)].kind == "day_off"


def test_a_commune_administrator_edits_only_its_own_calendar(client, tree) -> None:
    user = make_staff(Role.ADMINISTRATOR, tree["commune_a"])
    client.force_login(user)
    page = client.get(URL, {"year": 2026, "month": 3})
    assert (page.status_code, page.context["can_edit"]) == (200, False)
    before = row_counts()
    assert client.post(f"{URL}?year=2026&month=3", {"date": "2026-03-03", "action": "day_off"}).status_code == 403
    assert client.get(URL, {"agency": "H99.102"}).status_code == 403  # not its agency
    assert row_counts() == before
    response = client.post(f"{URL}?year=2026&month=3&agency=H99.101", {"date": "2026-03-03", "action": "day_off"})
    assert response.status_code == 302
    assert not deployment_calendar(tree["commune_a"]).is_working_day(date(2026, 3, 3))
    assert deployment_calendar().is_working_day(date(2026, 3, 3))


@pytest.mark.parametrize("role", [Role.DESK_OFFICER, Role.SUPERVISOR, Role.SPECIALIST])
def test_other_staff_get_403_and_change_nothing(client, tree, role: str) -> None:
    client.force_login(make_staff(role, tree["province"], include_subagencies=True))
    before = row_counts()
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"date": "2026-03-03", "action": "day_off"}).status_code == 403
    assert row_counts() == before


def test_anonymous_users_are_sent_to_the_login_page(client, tree) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "next=/can-bo/lich/" in response["Location"]
