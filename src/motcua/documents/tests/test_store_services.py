"""Digitizing a received dossier's components into the store, and taking them for a later dossier."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine

from motcua.catalog.models import RequiredDocument
from motcua.core.models import AuditEntry
from motcua.documents import services
from motcua.documents.exceptions import DocumentExpired, DocumentNotInStore, DocumentNotReusable
from motcua.documents.models import DigitizedDocument, DocumentReuse, DocumentType
from motcua.documents.selectors import reuse_proposals
from motcua.dossiers.models import Dossier, DossierDocument
from tests.intake import birth_application, birth_documents, pdf
from tests.processing import received_birth_dossier
from tests.store import dossier_submit_online, published_required_documents

pytestmark = pytest.mark.django_db

NOW = date(2026, 3, 2)


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(f"{NOW.isoformat()} 09:00 +07:00", tick=False) as traveller:
        yield traveller


def digitized_dossier(people: dict[str, Any]) -> Any:
    dossier = received_birth_dossier(people)
    services.dossier_digitize(dossier=dossier, actor=people["desk"])
    return dossier


def test_each_component_file_gets_a_code_validity_and_checksum(people, clock) -> None:
    DocumentType.objects.create(code="TKKS", name="Tờ khai đăng ký khai sinh", validity_months=None)
    dossier = digitized_dossier(people)
    rows = list(DigitizedDocument.objects.order_by("code").values_list("code", "type_code", "valid_until", "origin"))
    owner = dossier.applicant_id_number
    documents = birth_documents()
    expected_types = sorted(d.document_type_code or "KHAC" for d in documents[:2])
    assert [r[1] for r in rows] == expected_types
    assert all(r[0].startswith(f"{owner}.1.001193.") and r[0].endswith(".01") for r in rows)
    assert all(r[3] == "component" for r in rows)
    by_type = {r[1]: r[2] for r in rows}
    for type_code, valid in by_type.items():
        assert valid == (None if type_code == "TKKS" else date(2026, 9, 2))
    stored = DigitizedDocument.objects.first()
    assert stored is not None and stored.sha256 == stored.dossier_document.sha256
    assert stored.store.owner_id_number == owner


def test_digitizing_twice_changes_nothing_and_a_second_dossier_counts_on(people, clock) -> None:
    dossier = digitized_dossier(people)
    codes_before = sorted(DigitizedDocument.objects.values_list("code", flat=True))
    services.dossier_digitize(dossier=dossier, actor=people["desk"])
    assert sorted(DigitizedDocument.objects.values_list("code", flat=True)) == codes_before
    digitized_dossier(people)
    suffixes = sorted(code.rsplit(".", 1)[1] for code in DigitizedDocument.objects.values_list("code", flat=True))
    assert suffixes == ["01", "01", "02", "02"]


def reusable_spec() -> Any:
    spec = birth_documents()[1]
    RequiredDocument.objects.filter(pk=spec.pk).update(reusable=True)  # published versions are immutable
    published_required_documents.cache_clear()
    spec.reusable = True
    return spec


def test_a_valid_document_of_the_owner_is_proposed_and_taken(people, clock) -> None:
    digitized_dossier(people)
    spec = reusable_spec()
    source = DigitizedDocument.objects.get(dossier_document__required_document=spec)
    proposals = reuse_proposals(
        owner_id_number=source.store.owner_id_number, type_codes=[spec.document_type_code], on=NOW
    )
    assert [d.code for d in proposals[source.type_code]] == [source.code]
    first_doc = birth_documents()[0]
    second = dossier_submit_online(
        actor=people["citizen"],
        application=birth_application(uploads=[pdf(required_document_id=first_doc.pk)], reused={spec.pk: source.code}),
    )
    taken = DossierDocument.objects.get(dossier=second, required_document=spec)
    assert not taken.file
    reuse = DocumentReuse.objects.get()
    assert (reuse.dossier_id, reuse.dossier_document_id, reuse.source_id) == (second.pk, taken.pk, source.pk)
    assert AuditEntry.objects.filter(action="document_reuse", object_id=str(second.pk)).count() == 1


def counts() -> tuple[int, int, int]:
    return DossierDocument.objects.count(), DocumentReuse.objects.count(), AuditEntry.objects.count()


def test_expired_foreign_or_unreusable_documents_are_refused_and_nothing_changes(people, clock) -> None:
    digitized_dossier(people)
    spec = reusable_spec()
    source = DigitizedDocument.objects.get(dossier_document__required_document=spec)
    second = dossier_submit_online(actor=people["citizen"], application=birth_application())
    before = counts()
    someone_else = services.store_for(owner_id_number="001203000777", owner_name="Trần Thị B", owner_kind="person")
    foreign = DigitizedDocument.objects.create(
        store=someone_else,
        code="001203000777.1.001193.GCS.01",
        origin="component",
        type_code=source.type_code,
        name="Giấy chứng sinh",
        file=source.file.name,
        sha256=source.sha256,
        digitized_at=source.digitized_at,
    )
    before = counts()
    with pytest.raises(DocumentNotInStore):
        services.document_reuse(actor=people["citizen"], dossier=second, spec=spec, code=foreign.code)
    with pytest.raises(DocumentNotInStore):
        services.document_reuse(actor=people["citizen"], dossier=second, spec=spec, code=source.code + "9")
    assert counts() == before
    clock.move_to(f"{(source.valid_until + timedelta(days=1)).isoformat()} 09:00 +07:00")
    with pytest.raises(DocumentExpired):
        services.document_reuse(actor=people["citizen"], dossier=second, spec=spec, code=source.code)
    spec.reusable = False
    with pytest.raises(DocumentNotReusable):
        services.document_reuse(actor=people["citizen"], dossier=second, spec=spec, code=source.code)
    assert counts() == before


def test_a_submission_with_an_expired_document_is_refused_and_creates_nothing(people, clock) -> None:
    digitized_dossier(people)
    spec = reusable_spec()
    source = DigitizedDocument.objects.get(dossier_document__required_document=spec)
    clock.move_to(f"{(source.valid_until + timedelta(days=1)).isoformat()} 09:00 +07:00")
    dossiers_before = Dossier.objects.count()
    before = counts()
    application = birth_application(
        uploads=[pdf(required_document_id=birth_documents()[0].pk)], reused={spec.pk: source.code}
    )
    with pytest.raises(DocumentExpired):
        dossier_submit_online(actor=people["citizen"], application=application)
    assert (Dossier.objects.count(), counts()) == (dossiers_before, before)
