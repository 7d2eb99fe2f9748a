"""The queue's pages: enabling a kiosk, issuing at it (double tap, throttle, refusals), the display and its
feed, a counter's actions with their messages."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext, override

from motcua.core.models import AuditEntry
from motcua.queueing import kiosk as kiosk_module
from motcua.queueing.constants import TicketStatus
from motcua.queueing.exceptions import GroupClosed, TicketNotCallable
from motcua.queueing.kiosk import COOKIE_NAME
from motcua.queueing.models import Ticket
from motcua.queueing.services import call_next, ticket_issue
from tests.intake import HCM

pytestmark = pytest.mark.django_db
DESK = "H99.101.MC"


@pytest.fixture(autouse=True)
def empty_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def enabled_kiosk(queue: dict[str, Any]) -> Client:
    """A browser on which the desk officer pressed "enable kiosk", then logged out."""
    client = signed_in(queue["officer"])
    response = client.post(reverse("backoffice:queue-kiosk-enable", kwargs={"desk_code": DESK}))
    assert response.status_code == 302
    assert response["Location"] == f"/hang-doi/{DESK}/lay-so/"
    cookie = response.cookies[COOKIE_NAME]
    assert (cookie["max-age"], cookie["path"], cookie["httponly"]) == (365 * 24 * 3600, f"/hang-doi/{DESK}/", True)
    kiosk = Client()  # the officer logged out (the test client's logout forgets every cookie: copy it)
    kiosk.cookies[COOKIE_NAME] = cookie.value
    return kiosk


def kiosk_url() -> str:
    return reverse("portal:queue-kiosk", kwargs={"desk_code": DESK})


def test_without_the_kiosk_cookie_the_page_explains_and_issues_nothing(queue: dict[str, Any], morning: Any) -> None:
    client = Client()
    page = client.get(kiosk_url())
    assert page.status_code == 200
    assert "Thiết bị này chưa được bật làm máy lấy số của bộ phận." in page.content.decode()
    assert client.post(kiosk_url(), {"group": queue["a"].pk}).status_code == 403
    # A cookie signed for another desk, or forged, enables nothing either.
    client.cookies[COOKIE_NAME] = "forged:value"
    assert client.post(kiosk_url(), {"group": queue["a"].pk}).status_code == 403
    assert Ticket.objects.count() == 0


def test_only_a_desk_officer_of_the_desk_enables_a_kiosk(queue: dict[str, Any]) -> None:
    client = signed_in(queue["outsider"])
    response = client.post(reverse("backoffice:queue-kiosk-enable", kwargs={"desk_code": DESK}), follow=True)
    assert COOKIE_NAME not in client.cookies
    assert "Chỉ cán bộ một cửa của bộ phận này mới bật được máy lấy số" in response.content.decode()
    assert not AuditEntry.objects.filter(action="queue.kiosk_enable").exists()


def test_an_enabled_kiosk_issues_a_ticket_and_shows_it_ready_to_print(queue: dict[str, Any], morning: Any) -> None:
    ticket_issue(group=queue["a"])  # someone is already waiting for A
    client = enabled_kiosk(queue)
    page = client.get(kiosk_url()).content.decode()
    assert 'id="group-A"' in page and 'id="group-B"' in page
    assert "1 người đang chờ" in page
    response = client.post(kiosk_url(), {"group": queue["a"].pk})
    ticket = Ticket.objects.get(number=2)
    assert response["Location"] == f"/hang-doi/{DESK}/lay-so/{ticket.pk}/"
    shown = client.get(response["Location"]).content.decode()
    assert '<p class="ticket-number" id="ticket-number">A002</p>' in shown
    assert "1 người trước bạn" in shown
    assert "Hộ tịch – Chứng thực" in shown
    assert "08:00 09/03/2026" in shown
    assert AuditEntry.objects.filter(action="queue.kiosk_enable", object_id=str(queue["desk"].pk)).count() == 1


def test_a_double_tap_within_two_seconds_issues_one_ticket(queue: dict[str, Any], morning: Any) -> None:
    client = enabled_kiosk(queue)
    first = client.post(kiosk_url(), {"group": queue["a"].pk})
    second = client.post(kiosk_url(), {"group": queue["b"].pk})
    assert Ticket.objects.count() == 1
    assert second["Location"] == first["Location"]  # the person sees the ticket the first tap printed
    morning.move_to(datetime(2026, 3, 9, 8, 0, 3, tzinfo=HCM))
    _expire_tap(client)
    client.post(kiosk_url(), {"group": queue["b"].pk})
    assert sorted(Ticket.objects.values_list("group__code", "number")) == [("A", 1), ("B", 1)]


def _expire_tap(client: Client) -> None:
    """The cache keeps real time (not the frozen clock): drop this device's tap entry as its timeout would."""
    from django.core import signing

    device = signing.loads(client.cookies[COOKIE_NAME].value, salt=kiosk_module.COOKIE_SALT)["device"]
    cache.delete(f"queue:kiosk:{device}:tap")


def test_a_kiosk_issuing_too_fast_is_throttled(queue: dict[str, Any], morning: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(kiosk_module, "TICKETS_PER_MINUTE", 3)
    client = enabled_kiosk(queue)
    for _ in range(3):
        client.post(kiosk_url(), {"group": queue["a"].pk})
        _expire_tap(client)
    refused = client.post(kiosk_url(), {"group": queue["a"].pk}, follow=True)
    assert "Máy lấy số này vừa cấp quá nhiều số" in refused.content.decode()
    assert Ticket.objects.count() == 3


def test_a_closed_group_or_an_unknown_one_issues_nothing(queue: dict[str, Any], morning: Any) -> None:
    client = enabled_kiosk(queue)
    queue["b"].is_active = False
    queue["b"].save()
    closed = client.post(kiosk_url(), {"group": queue["b"].pk}, follow=True).content.decode()
    assert lead_text(GroupClosed.default_message) in closed
    _expire_tap(client)
    unknown = client.post(kiosk_url(), {"group": "x"}, follow=True).content.decode()
    assert "Vui lòng chọn một trong các dịch vụ" in unknown
    assert Ticket.objects.count() == 0


def test_the_display_and_its_feed_show_numbers_and_counters_only(queue: dict[str, Any], morning: Any) -> None:
    for group in ("a", "a", "b"):
        ticket_issue(group=queue[group])
    morning.move_to(datetime(2026, 3, 9, 8, 5, tzinfo=HCM))
    call_next(actor=queue["officer2"], counter=queue["two"])
    morning.move_to(datetime(2026, 3, 9, 8, 6, tzinfo=HCM))
    call_next(actor=queue["officer"], counter=queue["one"])
    client = Client()
    page = client.get(reverse("portal:queue-display", kwargs={"desk_code": DESK})).content.decode()
    assert '<p class="display-number" id="latest-number">A002</p>' in page
    feed = client.get(reverse("portal:queue-display-feed", kwargs={"desk_code": DESK}))
    assert feed["Cache-Control"].startswith("max-age=0")
    data = json.loads(feed.content)
    assert [(c["label"], c["counter"], c["at"]) for c in data["calls"]] == [
        ("A002", 1, "08:06:00"),
        ("A001", 2, "08:05:00"),
    ]
    assert data["waiting"] == 1
    assert set(data["calls"][0]) == {"label", "counter", "at", "key"}
    assert client.get(reverse("portal:queue-display", kwargs={"desk_code": "NO.SUCH"})).status_code == 404


def lead_text(message: Any) -> str:
    """A message of the queue services, as the Vietnamese page shows it (its translation comes with the
    services' own strings)."""
    with override("vi"):
        return escape(gettext(str(message)))


def counter_post(client: Client, counter: Any, action: str, **data: Any) -> str:
    url = reverse("backoffice:queue-counter-action", kwargs={"counter_id": counter.pk, "action": action})
    return client.post(url, data, follow=True).content.decode()


def test_a_counter_calls_serves_and_says_so_in_vietnamese(queue: dict[str, Any], morning: Any) -> None:
    client = signed_in(queue["officer"])
    home = client.get(reverse("backoffice:queue")).content.decode()
    assert f'href="/can-bo/hang-doi/quay/{queue["one"].pk}/"' in home
    assert "Không có ai đang chờ quầy này" in counter_post(client, queue["one"], "next")
    ticket_issue(group=queue["b"])
    page = counter_post(client, queue["one"], "next")
    assert "Mời số B001 đến quầy 1." in page
    assert '<p class="queue-current-number" id="current-number">B001</p>' in page
    assert client.session["queue_counter"] == queue["one"].pk
    assert "Đã phục vụ xong B001." in counter_post(client, queue["one"], "served")
    assert Ticket.objects.get().status == TicketStatus.SERVED
    refused = counter_post(client, queue["one"], "number", label="B001")
    assert lead_text(TicketNotCallable.default_message) in refused
    assert lead_text("Enter a number like A007.") in counter_post(client, queue["one"], "number", label="7")
    missing = lead_text("No ticket %(label)s was issued today.") % {"label": "A123"}
    assert missing in counter_post(client, queue["one"], "number", label="A123")
    assert Ticket.objects.get().status == TicketStatus.SERVED


def test_a_counter_of_another_desk_is_not_found(queue: dict[str, Any], morning: Any) -> None:
    client = signed_in(queue["outsider"])
    ticket_issue(group=queue["a"])
    assert client.get(reverse("backoffice:queue-counter", kwargs={"counter_id": queue["one"].pk})).status_code == 404
    url = reverse("backoffice:queue-counter-action", kwargs={"counter_id": queue["one"].pk, "action": "next"})
    assert client.post(url).status_code == 404
    assert Ticket.objects.get().status == TicketStatus.WAITING


def test_administrators_set_up_groups_and_counters_in_the_admin(queue: dict[str, Any], province: Any) -> None:
    from motcua.identity.constants import Role
    from tests.factories import make_staff

    admin = make_staff(Role.ADMINISTRATOR, province["province"], include_subagencies=True)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = signed_in(admin)
    for model in ("servicegroup", "counter", "ticket"):
        assert client.get(f"/quan-tri/queueing/{model}/").status_code == 200
    assert client.get(f"/quan-tri/queueing/counter/{queue['one'].pk}/change/").status_code == 200
    assert client.get("/quan-tri/queueing/ticket/add/").status_code == 403  # tickets come from the kiosk


def test_the_display_feed_reads_little_whatever_the_day(
    queue: dict[str, Any], morning: Any, django_assert_num_queries: Any
) -> None:
    for _ in range(30):
        ticket = ticket_issue(group=queue["a"])
    call_next(actor=queue["officer"], counter=queue["one"])
    url = reverse("portal:queue-display-feed", kwargs={"desk_code": DESK})
    client = Client()
    with django_assert_num_queries(4):  # the desk, the last calls, the waiting counts, the groups
        data = client.get(url).json()
    assert (data["calls"][0]["label"], data["waiting"], ticket.label) == ("A001", 29, "A030")
