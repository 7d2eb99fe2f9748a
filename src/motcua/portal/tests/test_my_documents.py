"""'My documents': the owner's store with downloads and share links; the public page a link opens."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from motcua.core.models import AuditEntry
from motcua.documents.models import DigitizedDocument, ShareLink
from tests.factories import make_citizen
from tests.intake import HCM
from tests.processing import received_birth_dossier

pytestmark = pytest.mark.usefixtures("monday_morning")

PAGE = "/tai-khoan/kho-du-lieu/"


@pytest.fixture
def owner(people: dict[str, Any], client: Client) -> Client:
    received_birth_dossier(people)
    client.force_login(people["citizen"])
    return client


def documents() -> list[DigitizedDocument]:
    return list(DigitizedDocument.objects.order_by("-digitized_at", "-id"))


def share(client: Client, code: str, duration: str = "1h") -> str:
    """Make a link from the page; the link's address as the page shows it once."""
    response = client.post(reverse("portal:my-document-share", kwargs={"code": code}), {"duration": duration})
    assert response.status_code == 201
    match = re.search(
        r'id="share-url" type="text" readonly value="http://testserver/chia-se/([^/"]+)/"', response.content.decode()
    )
    assert match is not None
    return match.group(1)


def test_the_owner_sees_their_store(owner, people) -> None:
    assert reverse("portal:my-documents") == PAGE
    page = owner.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    stored = documents()
    assert [row["document"] for row in page.context["rows"]] == stored
    for document in stored:
        assert document.code in html
        assert f'href="{reverse("portal:my-document-download", kwargs={"code": document.code})}"' in html
    assert 'id="nav-my-documents"' in html
    assert "no-store" in page["Cache-Control"]


def test_expired_documents_are_marked(owner, people, monday_morning) -> None:
    monday_morning.move_to(datetime(2026, 9, 10, 9, 0, tzinfo=HCM))  # 6 months and a day later
    owner.force_login(people["citizen"])  # the session of March has ended
    page = owner.get(PAGE)
    assert [row["expired"] for row in page.context["rows"]] == [True, True]
    assert page.content.decode().count('class="badge urgency-overdue"') == 2


def test_download_is_for_the_owner_only(owner, people, province) -> None:
    document = documents()[0]
    url = reverse("portal:my-document-download", kwargs={"code": document.code})
    response = owner.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{document.code}.pdf"'
    assert b"".join(response.streaming_content) == document.file.read()
    other = Client()
    other.force_login(make_citizen())
    assert other.get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_share_open_download_and_revoke(owner, people) -> None:
    document = documents()[0]
    token = share(owner, document.code)
    assert len(token) >= 43
    link = ShareLink.objects.get()
    assert link.expires_at == datetime(2026, 3, 9, 10, 0, tzinfo=HCM)
    listed = owner.get(PAGE).context["rows"][0]["links"]
    assert listed == [link]

    anonymous = Client()
    page = anonymous.get(f"/chia-se/{token}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert document.code in html and document.name in html
    file = anonymous.get(f"/chia-se/{token}/tai-ve/")
    assert file.status_code == 200
    assert b"".join(file.streaming_content) == document.file.read()

    revoked = owner.post(reverse("portal:my-share-revoke", kwargs={"link_id": link.pk}))
    assert revoked.status_code == 302
    for path in (f"/chia-se/{token}/", f"/chia-se/{token}/tai-ve/"):
        closed = anonymous.get(path)
        assert closed.status_code == 410
        assert "hết hạn hoặc đã bị chủ sở hữu thu hồi" in closed.content.decode()
    assert owner.get(PAGE).context["rows"][0]["links"] == []
    assert [e.actor for e in AuditEntry.objects.filter(action__startswith="share_link")] == [people["citizen"]] * 2


def test_an_expired_link_serves_no_file(owner, monday_morning) -> None:
    token = share(owner, documents()[0].code, "1h")
    monday_morning.move_to(datetime(2026, 3, 9, 10, 0, 1, tzinfo=HCM))
    file = Client().get(f"/chia-se/{token}/tai-ve/")
    assert file.status_code == 410
    assert file["Content-Type"].startswith("text/html")
    assert b"%PDF" not in file.content


def test_others_cannot_share_or_revoke(owner, people) -> None:
    document = documents()[0]
    token = share(owner, document.code)
    link = ShareLink.objects.get()
    other = Client()
    other.force_login(make_citizen())
    assert (
        other.post(reverse("portal:my-document-share", kwargs={"code": document.code}), {"duration": "1h"}).status_code
        == 404
    )
    assert other.post(reverse("portal:my-share-revoke", kwargs={"link_id": link.pk})).status_code == 404
    bad = owner.post(reverse("portal:my-document-share", kwargs={"code": document.code}), {"duration": "99d"})
    assert bad.status_code == 400
    assert ShareLink.objects.count() == 1
    assert Client().get(f"/chia-se/{token}/").status_code == 200


def test_guessing_tokens_is_throttled_per_address(owner, settings) -> None:
    cache.clear()
    settings.SHARE_LINK_RATE_LIMIT = "3/10m"
    token = share(owner, documents()[0].code)
    guesser = Client()
    for n in range(3):
        assert guesser.get(f"/chia-se/guess{n}/", REMOTE_ADDR="203.0.113.9").status_code == 404
    blocked = guesser.get(f"/chia-se/{token}/", REMOTE_ADDR="203.0.113.9")
    assert blocked.status_code == 429
    assert guesser.get(f"/chia-se/{token}/tai-ve/", REMOTE_ADDR="203.0.113.9").status_code == 429
    assert guesser.get(f"/chia-se/{token}/", REMOTE_ADDR="198.51.100.7").status_code == 200
