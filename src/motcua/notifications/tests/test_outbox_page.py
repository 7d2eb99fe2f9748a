import pytest
from django.urls import reverse

from motcua.identity.constants import Role
from motcua.notifications.models import Notification
from motcua.workflow.services import dossier_receive, dossier_submit_online
from tests.factories import make_staff
from tests.intake import birth_application

CODE = "H99.101-260309-0001"


@pytest.fixture
def notified(people, monday_morning, django_capture_on_commit_callbacks) -> None:
    """An online dossier at H99.101, submitted and received: four messages (e-mail and SMS each time)."""
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    with django_capture_on_commit_callbacks(execute=True):
        dossier_receive(actor=people["desk"], code=dossier.code)


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.SUPERVISOR])
def test_staff_of_the_agency_read_its_outbox_with_recipients_masked(client, province, notified, role) -> None:
    client.force_login(make_staff(role, province["commune_a"]))

    response = client.get(reverse("backoffice:outbox"))

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(n.dossier.code, n.event.action, n.channel, recipient, n.status) for n, recipient in rows] == [
        (CODE, "receive", "sms", "*******678", "sent"),
        (CODE, "receive", "email", "********************.vn", "sent"),
        (CODE, "submit", "sms", "*******678", "sent"),
        (CODE, "submit", "email", "********************.vn", "sent"),
    ]
    content = response.content.decode()
    assert "0912345678" not in content and "042190001234@example.vn" not in content
    assert "10/03/2026 09:00" in content  # the bodies are shown
    assert content.count(CODE) >= 4


def test_staff_of_another_agency_see_nothing(client, province, notified) -> None:
    client.force_login(make_staff(Role.ADMINISTRATOR, province["commune_b"]))

    response = client.get(reverse("backoffice:outbox"))

    assert response.status_code == 200
    assert response.context["rows"] == []
    assert CODE not in response.content.decode()
    assert Notification.objects.count() == 4


def test_the_outbox_is_paginated_by_fifty(client, province, notified) -> None:
    client.force_login(make_staff(Role.SUPERVISOR, province["province"], include_subagencies=True))
    base = Notification.objects.order_by("id").first()
    Notification.objects.bulk_create(
        Notification(dossier=base.dossier, channel="sms", recipient="0900000000", body=f"tin {n}") for n in range(60)
    )

    first = client.get(reverse("backoffice:outbox"))
    second = client.get(reverse("backoffice:outbox"), {"page": 2})

    assert (len(first.context["rows"]), len(second.context["rows"])) == (50, 14)
    assert first.context["page"].paginator.count == 64
