"""The digitization fee a desk charges for paper scanned on demand: which fee applies, and the charge."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from motcua.core.exceptions import PermissionDenied, ValidationFailed
from motcua.core.models import AuditEntry
from motcua.documents.exceptions import DigitizationFeeMissing
from motcua.documents.models import DigitizationCharge, DigitizationFee
from motcua.documents.services import digitization_charge, digitization_fee_for
from tests.processing import received_birth_dossier

pytestmark = pytest.mark.django_db


def test_the_agency_s_own_fee_then_its_parent_s_then_the_default(province) -> None:
    commune = province["commune_a"]
    assert digitization_fee_for(commune) is None
    default = DigitizationFee.objects.create(amount_per_page=2000)
    assert digitization_fee_for(commune) == default
    parent = DigitizationFee.objects.create(agency=commune.parent, amount_per_page=3000)
    assert digitization_fee_for(commune) == parent
    own = DigitizationFee.objects.create(agency=commune, amount_per_page=1500)
    assert digitization_fee_for(commune) == own
    DigitizationFee.objects.filter(pk=own.pk).update(is_active=False)
    assert digitization_fee_for(commune) == parent


def test_a_desk_officer_charges_pages_times_the_fee(people, province) -> None:
    DigitizationFee.objects.create(agency=province["commune_a"], name="Phí số hóa", amount_per_page=2000)
    dossier = received_birth_dossier(people)
    with time_machine.travel("2026-03-09 09:30 +07:00", tick=False):
        charge = digitization_charge(actor=people["desk"], code=dossier.code, pages=7, note=" Giấy khai sinh ")
    row = DigitizationCharge.objects.values(
        "dossier", "fee_name", "pages", "amount_per_page", "amount", "note", "charged_by"
    ).get(pk=charge.pk)
    assert row == {
        "dossier": dossier.pk,
        "fee_name": "Phí số hóa",
        "pages": 7,
        "amount_per_page": 2000,
        "amount": 14000,
        "note": "Giấy khai sinh",
        "charged_by": people["desk"].pk,
    }
    assert charge.charged_at.isoformat() == "2026-03-09T02:30:00+00:00"
    assert AuditEntry.objects.filter(action="digitization_charge").count() == 1


@pytest.mark.parametrize(
    ("who", "pages", "error", "code"),
    [
        ("desk", 0, ValidationFailed, "digitization_pages_invalid"),
        ("desk", 1001, ValidationFailed, "digitization_pages_invalid"),
        ("other_desk", 3, PermissionDenied, "permission_denied"),
        ("specialist", 3, PermissionDenied, "permission_denied"),
    ],
)
def test_refusals_change_nothing(people, province, who: str, pages: int, error: Any, code: str) -> None:
    DigitizationFee.objects.create(amount_per_page=2000)
    dossier = received_birth_dossier(people)
    audits = AuditEntry.objects.count()
    with pytest.raises(error) as refused:
        digitization_charge(actor=people[who], code=dossier.code, pages=pages)
    assert refused.value.code == code
    assert not DigitizationCharge.objects.exists()
    assert AuditEntry.objects.count() == audits


def test_without_a_fee_nothing_is_charged(people) -> None:
    dossier = received_birth_dossier(people)
    with pytest.raises(DigitizationFeeMissing):
        digitization_charge(actor=people["desk"], code=dossier.code, pages=3)
    assert not DigitizationCharge.objects.exists()
