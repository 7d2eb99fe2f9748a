"""The dossier pages show the messages sent to the applicant and how far each got (issue 15, item 5)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.urls import reverse

from motcua.notifications.models import Notification
from motcua.workflow.services import dossier_submit_online
from tests.intake import birth_application


@pytest.fixture
def notified(people: Any, monday_morning: Any, django_capture_on_commit_callbacks: Any) -> Any:
    """An online dossier whose two messages went out: the e-mail sent, the SMS delivered."""
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    Notification.objects.filter(channel="sms").update(
        status="delivered", gateway_message_id="SMS000001", delivered_at=datetime(2026, 3, 9, 2, 1, tzinfo=UTC)
    )
    return dossier


def test_the_desk_sees_each_message_with_a_masked_recipient_and_its_status(client, people, notified) -> None:
    client.force_login(people["desk"])

    response = client.get(reverse("backoffice:dossier", kwargs={"code": notified.code}))

    rows = [(n.channel, n.status, recipient) for n, recipient in response.context["dossier_messages"]]
    assert rows == [("email", "sent", "*" * 20 + ".vn"), ("sms", "delivered", "*******678")]
    page = response.content.decode()
    assert 'id="dossier-messages"' in page
    assert "Đã đến máy nhận" in page and "09:01" in page  # delivered 02:01 UTC, shown in Hà Nội time
    assert "0912345678" not in page.split('id="dossier-messages"')[1]


def test_a_failed_message_shows_its_reason_and_attempts(client, people, notified) -> None:
    Notification.objects.filter(channel="sms").update(
        status="failed", attempts=3, failed_for_good=True, delivered_at=None, last_error="subscriber unreachable"
    )
    client.force_login(people["desk"])

    page = client.get(reverse("backoffice:dossier", kwargs={"code": notified.code})).content.decode()

    table = page.split('id="dossier-messages"')[1].split("</table>")[0]
    assert "Lý do: subscriber unreachable" in table
    assert "<td>3</td>" in table


def test_the_citizen_sees_when_the_last_sms_was_sent(client, people, notified, monday_morning) -> None:
    client.force_login(people["citizen"])
    url = reverse("portal:my-dossier", kwargs={"code": notified.code})

    page = client.get(url).content.decode()
    Notification.objects.update(sent_at=None)
    without = client.get(url).content.decode()

    assert '<p class="help" id="last-sms">Đã gửi SMS lúc 09:00 09/03/2026</p>' in page
    assert 'id="last-sms"' not in without


def test_an_officer_of_another_agency_sees_no_messages(client, people, notified) -> None:
    client.force_login(people["other_desk"])

    response = client.get(reverse("backoffice:dossier", kwargs={"code": notified.code}))

    assert response.status_code == 404
