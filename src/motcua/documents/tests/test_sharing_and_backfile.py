"""Share links (made, revoked, expired with the clock), staff reads through a dossier, backfile digitization."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.apps import apps

from motcua.core.exceptions import ValidationFailed
from motcua.core.models import AuditEntry
from motcua.documents import services
from motcua.documents.exceptions import (
    BackfileDuplicate,
    DocumentNotInStore,
    ShareLinkClosed,
    ShareLinkNotFound,
)
from motcua.documents.models import DataStore, DigitizedDocument, ShareLink
from motcua.documents.selectors import my_documents, owner_id_for, store_through_dossier
from tests.factories import UserFactory, make_citizen, make_staff
from tests.intake import HCM, make_image, make_pdf
from tests.processing import received_birth_dossier

pytestmark = pytest.mark.django_db


def stored_code(people: dict[str, Any]) -> str:
    received_birth_dossier(people)
    return str(my_documents(people["citizen"]).order_by("code").first().code)  # type: ignore[union-attr]


def snapshot(media: Path) -> dict[str, Any]:
    """Rows of every table of the project's apps, and the files under the media root."""
    rows = {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label in {"core", "identity", "dossiers", "documents"}
    }
    return {"rows": rows, "files": sorted(str(p) for p in media.rglob("*") if p.is_file())}


# --- share links ----------------------------------------------------------------------------------------


def test_a_share_link_keeps_only_its_digest_and_closes_at_expiry(people, monday_morning) -> None:
    code = stored_code(people)
    citizen = people["citizen"]
    link, token = services.share_link_create(
        actor=citizen, owner_id_number=citizen.personal_id, code=code, duration="1h"
    )
    assert len(token) >= 43  # 32 random bytes, URL-safe base64: 256 bits
    assert link.token_digest == services.share_token_digest(token) != token
    assert not ShareLink.objects.filter(token_digest=token).exists()
    assert link.expires_at == datetime(2026, 3, 9, 10, 0, tzinfo=HCM)
    assert services.share_link_open(token) == link
    entry = AuditEntry.objects.get(action="share_link_create")
    assert (entry.actor, entry.object_id, entry.data["document"]) == (citizen, str(link.pk), code)

    monday_morning.move_to(datetime(2026, 3, 9, 9, 59, 59, tzinfo=HCM))
    assert services.share_link_open(token) == link
    monday_morning.move_to(datetime(2026, 3, 9, 10, 0, tzinfo=HCM))
    with pytest.raises(ShareLinkClosed) as refused:
        services.share_link_open(token)
    assert (refused.value.code, refused.value.status) == ("share_link_closed", 410)


@pytest.mark.parametrize(("duration", "span"), [("1d", timedelta(days=1)), ("7d", timedelta(days=7))])
def test_a_day_or_a_week(people, monday_morning, duration, span) -> None:
    citizen = people["citizen"]
    link, _token = services.share_link_create(
        actor=citizen, owner_id_number=citizen.personal_id, code=stored_code(people), duration=duration
    )
    assert link.expires_at - link.created_at == span


def test_revoked_links_close_at_once_and_revoking_twice_changes_nothing(people, monday_morning) -> None:
    citizen = people["citizen"]
    link, token = services.share_link_create(
        actor=citizen, owner_id_number=citizen.personal_id, code=stored_code(people), duration="7d"
    )
    services.share_link_revoke(actor=citizen, owner_id_number=citizen.personal_id, link_id=link.pk)
    link.refresh_from_db()
    revoked_at = link.revoked_at
    assert revoked_at == datetime(2026, 3, 9, 9, 0, tzinfo=HCM)
    with pytest.raises(ShareLinkClosed):
        services.share_link_open(token)
    monday_morning.shift(60)
    services.share_link_revoke(actor=citizen, owner_id_number=citizen.personal_id, link_id=link.pk)
    link.refresh_from_db()
    assert link.revoked_at == revoked_at
    assert AuditEntry.objects.filter(action="share_link_revoke").count() == 1


def test_nobody_shares_or_revokes_someone_elses_document(people, monday_morning, tmp_path) -> None:
    code = stored_code(people)
    citizen, other = people["citizen"], make_citizen()
    before = snapshot(tmp_path)
    with pytest.raises(DocumentNotInStore):
        services.share_link_create(actor=other, owner_id_number=other.personal_id, code=code, duration="1h")
    with pytest.raises(ValidationFailed) as bad:
        services.share_link_create(actor=citizen, owner_id_number=citizen.personal_id, code=code, duration="2h")
    assert bad.value.code == "share_duration"
    assert snapshot(tmp_path) == before
    link, _token = services.share_link_create(
        actor=citizen, owner_id_number=citizen.personal_id, code=code, duration="1h"
    )
    with pytest.raises(ShareLinkNotFound):
        services.share_link_revoke(actor=other, owner_id_number=other.personal_id, link_id=link.pk)
    with pytest.raises(ShareLinkNotFound):
        services.share_link_open("not-a-token")
    link.refresh_from_db()
    assert link.revoked_at is None


def test_the_owner_of_an_account() -> None:
    organisation = UserFactory.build(kind="organisation", tax_code="0101234567", personal_id="")
    citizen = UserFactory.build(kind="citizen", personal_id="042190001234")
    staff = UserFactory.build(kind="staff", personal_id="042190001234")
    assert [owner_id_for(u) for u in (organisation, citizen, staff)] == ["0101234567", "042190001234", ""]


# --- staff through a dossier ------------------------------------------------------------------------------


def test_staff_reach_a_store_only_through_a_dossier_they_see(people, province, monday_morning) -> None:
    dossier = received_birth_dossier(people)
    found = store_through_dossier(people["desk"], dossier.code)
    assert found is not None
    assert found == (dossier, DataStore.objects.get(owner_id_number=dossier.applicant_id_number))
    stranger = make_staff("desk_officer", province["commune_b"])
    assert store_through_dossier(stranger, dossier.code) is None
    assert store_through_dossier(people["citizen"], dossier.code) is None  # citizens are not staff
    assert store_through_dossier(people["desk"], "H99.101-260309-9999") is None


# --- backfile ---------------------------------------------------------------------------------------------


def paper(**overrides: Any) -> services.Backfile:
    data = make_pdf("Giay phep kinh doanh 2019")
    values: dict[str, Any] = {
        "owner_id_number": "0101234567",
        "owner_name": "Công ty TNHH Ánh Dương",
        "owner_kind": "organisation",
        "result_number": "KQ.H99.000123",
        "type_code": "GPKD",
        "name": "Giấy phép kinh doanh",
        "issuer": "UBND xã An",
        "issued_on": date(2019, 5, 6),
        "valid_until": date(2029, 5, 6),
        "file_name": "scan.pdf",
        "stream": io.BytesIO(data),
        "size": len(data),
    }
    values.update(overrides)
    return services.Backfile(**values)


def test_a_paper_result_is_digitized_into_its_owners_store(people, monday_morning, tmp_path, run_tasks) -> None:
    document = services.backfile_digitize(actor=people["desk"], paper=paper())
    assert (document.code, document.origin, document.type_code) == ("0101234567.KQ.H99.000123.01", "backfile", "GPKD")
    assert (document.name, document.issuer, document.issued_on, document.valid_until) == (
        "Giấy phép kinh doanh",
        "UBND xã An",
        date(2019, 5, 6),
        date(2029, 5, 6),
    )
    assert document.store.owner_kind == "organisation"
    assert document.store.owner_name == "Công ty TNHH Ánh Dương"
    # Kept as given until the worker makes the searchable copy, as for a scan at the desk.
    assert (document.content_type, document.text_layer, document.signer_subject) == (
        "application/pdf",
        "pending",
        "",
    )
    assert document.file.name.startswith("store/") and document.file.name.endswith(".pdf")
    assert document.file.read().startswith(b"%PDF")
    given = document.file.name
    run_tasks()
    document.refresh_from_db()
    assert document.text_layer == "done" and document.file.name != given
    entry = AuditEntry.objects.get(action="backfile_digitize")
    assert (entry.actor, entry.object_id, entry.data["owner"]) == (people["desk"], str(document.pk), "*******567")

    image = make_image("PNG")
    scan = services.backfile_digitize(
        actor=people["desk"],
        paper=paper(
            owner_id_number="042190001234",
            owner_kind="person",
            owner_name="Nguyễn Văn A",
            result_number="123/QĐ-UBND",
            valid_until=None,
            stream=io.BytesIO(image),
            size=len(image),
        ),
    )
    assert (scan.code, scan.content_type, scan.valid_until) == ("042190001234.123QUBND.01", "image/png", None)
    assert scan.file.name.endswith(".png")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"owner_id_number": "12345"}, "owner_id_number"),
        ({"owner_id_number": "0101234567", "owner_kind": "person"}, "owner_id_number"),
        ({"owner_id_number": "042190001234"}, "owner_id_number"),  # a person's number for an organisation
        ({"owner_name": "  "}, "owner_name"),
        ({"result_number": "///"}, "result_number"),
        ({"issued_on": date(2026, 3, 10)}, "issued_on"),
        ({"valid_until": date(2026, 3, 8)}, "valid_until"),
        ({"stream": io.BytesIO(b"<html>not a scan</html>"), "size": 23}, "file"),
        ({"stream": io.BytesIO(b"%PDF-1.7 broken"), "size": 15}, "file"),
    ],
)
def test_a_refused_backfile_changes_nothing(people, monday_morning, tmp_path, overrides, field) -> None:
    before = snapshot(tmp_path)
    with pytest.raises(ValidationFailed) as refused:
        services.backfile_digitize(actor=people["desk"], paper=paper(**overrides))
    assert refused.value.code == "backfile_invalid"
    assert list(refused.value.details) == [field]
    assert snapshot(tmp_path) == before


def test_the_same_paper_twice_is_refused_and_its_file_removed(people, monday_morning, tmp_path) -> None:
    services.backfile_digitize(actor=people["desk"], paper=paper())
    before = snapshot(tmp_path)
    with pytest.raises(BackfileDuplicate):
        services.backfile_digitize(actor=people["desk"], paper=paper())
    assert snapshot(tmp_path) == before
    assert DigitizedDocument.objects.count() == 1


def test_the_clock_decides_what_is_still_in_force(people) -> None:
    with time_machine.travel(datetime(2029, 5, 6, 9, 0, tzinfo=HCM), tick=False):
        assert services.backfile_digitize(actor=people["desk"], paper=paper()).valid_until == date(2029, 5, 6)
    with (
        time_machine.travel(datetime(2029, 5, 7, 9, 0, tzinfo=HCM), tick=False),
        pytest.raises(ValidationFailed) as refused,
    ):
        services.backfile_digitize(actor=people["desk"], paper=paper(result_number="KQ.H99.000124"))
    assert list(refused.value.details) == ["valid_until"]


def test_an_account_without_an_id_shares_nothing(people, monday_morning) -> None:
    """A store without an owner ID (an applicant recorded without one) is nobody's: "" opens nothing."""
    nameless = DataStore.objects.create(owner_id_number="", owner_kind="person", owner_name="?")
    DigitizedDocument.objects.create(
        store=nameless,
        code="X.01",
        origin="component",
        name="x",
        file="store/x.pdf",
        sha256="0" * 64,
        digitized_at=datetime(2026, 3, 9, 9, 0, tzinfo=HCM),
    )
    with pytest.raises(DocumentNotInStore):
        services.share_link_create(actor=people["desk"], owner_id_number="", code="X.01", duration="1h")
    assert not ShareLink.objects.exists()
