"""An issued result lands in its owner's data store, in the issue's transaction; a refusal letter does not."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from motcua.catalog.services import catalog_import
from motcua.core.models import AuditEntry
from motcua.documents.models import DataStore, DigitizedDocument
from motcua.dossiers.models import DossierResult
from tests.factories import small_catalog
from tests.processing import process_staff
from tests.store import issued_dossier, rejected_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(province: dict[str, Any]) -> Any:
    """The small catalog, its birth registration issuing a typed result valid 60 months."""
    document = small_catalog()
    document["procedures"][0]["result_types"] = [
        {"code": "GKS-BC", "name": "Giấy khai sinh (bản chính)", "validity_months": 60},
        {"code": "GKS-BS", "name": "Giấy khai sinh (bản sao)", "validity_months": 12},
    ]
    return catalog_import(actor=None, document=document)


@pytest.fixture
def staff(province, people, settings, tmp_path, monday_morning):
    return process_staff(province, settings, tmp_path)


def test_an_issued_result_lands_in_the_store_typed_and_valid_as_its_result_type(people, staff) -> None:
    code = issued_dossier(people, staff)
    result = DossierResult.objects.get(dossier__code=code)
    stored = DigitizedDocument.objects.get(result=result)
    owner = people["citizen"].personal_id
    assert (stored.code, stored.origin, stored.type_code, stored.name) == (
        f"{owner}.KQ.H99.000001.01",
        "result",
        "GKSBC",  # a code part keeps letters, digits and dots (codes.code_part)
        "Giấy khai sinh (bản chính)",
    )
    assert (stored.issuer, stored.issued_on, stored.valid_until) == ("Xã An", date(2026, 3, 9), date(2031, 3, 9))
    # The issued file (numbered and sealed), not the leader's first version.
    assert (stored.file.name, stored.sha256, stored.size) == (result.file.name, result.sha256, result.file.size)
    assert stored.signer_subject == result.signer_subject != ""
    assert (stored.digitized_by, stored.dossier.code) == (staff["clerk"], code)
    assert DataStore.objects.get(owner_id_number=owner).documents.count() == 3  # 2 components + the result


def test_a_refusal_letter_is_not_stored(people, staff) -> None:
    code = rejected_dossier(people, staff)
    result = DossierResult.objects.get(dossier__code=code)
    assert result.number == "KQ.H99.000001"  # issued all the same
    assert not DigitizedDocument.objects.filter(result=result).exists()
    assert set(DigitizedDocument.objects.values_list("origin", flat=True)) == {"component"}
    assert not AuditEntry.objects.filter(action="backfile_digitize").exists()
