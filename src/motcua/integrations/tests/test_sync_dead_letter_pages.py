"""The back office's dead letters of the national sync: an administrator sees, resends (audited), a
supervisor reads, other staff are refused; personal data in the payload is masked."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.urls import reverse

from motcua.core.models import AuditEntry
from motcua.identity.constants import Role
from motcua.integrations.models import SyncMessage
from motcua.workflow.services import dossier_receive, dossier_submit_online
from tests.factories import make_staff
from tests.intake import birth_application

CODE = "H99.101-260309-0001"


@pytest.fixture
def dead(people, monday_morning, settings, fake_service, django_capture_on_commit_callbacks) -> Any:
    """An online dossier at H99.101 whose first message the portal refused (a secret it does not know)."""
    portal = fake_service("national_portal")
    settings.MOTCUA_NATIONAL_SYNC_ENABLED = True
    settings.MOTCUA_NATIONAL_PORTAL_SECRET = "a-secret-the-portal-does-not-know"
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    with django_capture_on_commit_callbacks(execute=True):
        dossier_receive(actor=people["desk"], code=dossier.code)
    return portal


def states() -> list[tuple[int, str]]:
    return list(SyncMessage.objects.order_by("sequence").values_list("sequence", "status"))


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.SUPERVISOR])
def test_staff_of_the_agency_see_its_dead_letters(client, province, dead, role) -> None:
    client.force_login(make_staff(role, province["commune_a"]))
    response = client.get(reverse("backoffice:sync-dead-letters"))
    assert response.status_code == 200
    assert [(m.message_id, m.kind, m.last_http_status) for m in response.context["page"]] == [
        (f"{CODE}.1", "dossier", 401)
    ]
    assert response.context["counts"] == {"pending": 3, "sending": 0, "delivered": 0, "dead": 1}
    content = response.content.decode()
    assert "Đồng bộ Cổng Dịch vụ công quốc gia" in content  # the menu link and the title, in Vietnamese
    assert ("Gửi lại" in content) is (role == Role.ADMINISTRATOR)


def test_the_dead_letter_shows_its_payload_masked_and_what_it_holds_back(client, province, dead) -> None:
    client.force_login(make_staff(Role.SUPERVISOR, province["commune_a"]))
    letter = SyncMessage.objects.get(sequence=1)
    response = client.get(reverse("backoffice:sync-dead-letter", args=[letter.pk]))
    assert response.status_code == 200
    content = html.unescape(response.content.decode())
    assert '"MaHoSo": "H99.101-260309-0001"' in content and '"TrangThaiHoSo": 1' in content
    assert "042190001234" not in content and "0912345678" not in content  # masked
    assert '"SoGiayTo": "*********234"' in content
    assert [(m.sequence, m.status) for m in response.context["chain"]] == [
        (1, "dead"),
        (2, "pending"),
        (3, "pending"),
        (4, "pending"),
    ]
    assert "HTTP 401" in content


def test_an_administrator_resends_after_the_fix_and_it_is_audited(
    client, province, dead, settings, django_capture_on_commit_callbacks
) -> None:
    admin = make_staff(Role.ADMINISTRATOR, province["commune_a"])
    client.force_login(admin)
    settings.MOTCUA_NATIONAL_PORTAL_SECRET = "demo-national-portal-secret"
    letter = SyncMessage.objects.get(sequence=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("backoffice:sync-dead-letter-resend", args=[letter.pk]), {"scope": "dossier"})
    assert response.status_code == 302
    assert states() == [(1, "delivered"), (2, "delivered"), (3, "delivered"), (4, "delivered")]
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.actor, entry.object_id) == (
        "national_sync.resend_dossier",
        admin,
        str(letter.dossier_id),
    )
    assert dead.app.state["sequences"] == {CODE: [1, 2, 3, 4]}


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.DESK_OFFICER])
def test_others_may_not_resend_and_nothing_changes(client, province, dead, role) -> None:
    client.force_login(make_staff(role, province["commune_a"]))
    letter = SyncMessage.objects.get(sequence=1)
    audits = AuditEntry.objects.count()
    response = client.post(reverse("backoffice:sync-dead-letter-resend", args=[letter.pk]))
    assert response.status_code == 403
    assert (states()[0], AuditEntry.objects.count()) == ((1, "dead"), audits)


def test_a_desk_officer_may_not_read_them_and_another_agency_sees_none(client, province, dead) -> None:
    client.force_login(make_staff(Role.DESK_OFFICER, province["commune_a"]))
    assert client.get(reverse("backoffice:sync-dead-letters")).status_code == 403
    client.force_login(make_staff(Role.ADMINISTRATOR, province["commune_b"]))
    assert list(client.get(reverse("backoffice:sync-dead-letters")).context["page"]) == []
    letter = SyncMessage.objects.get(sequence=1)
    assert client.get(reverse("backoffice:sync-dead-letter", args=[letter.pk])).status_code == 404
    response = client.post(reverse("backoffice:sync-dead-letter-resend", args=[letter.pk]))
    assert (response.status_code, states()[0]) == (404, (1, "dead"))
