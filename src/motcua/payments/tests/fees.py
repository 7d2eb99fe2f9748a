"""Test building blocks: the birth procedure's fees set as a test needs them, a walk-in birth dossier."""

from __future__ import annotations

from typing import Any

from motcua.catalog.models import Fee, ProcedureCase, ProcedureVersion
from motcua.workflow.services import dossier_receive_at_desk
from tests.intake import birth_application

BIRTH = "1.001193"


def birth_version() -> ProcedureVersion:
    return ProcedureVersion.objects.filter(procedure__code=BIRTH).order_by("-id").first()  # type: ignore[return-value]


def set_fees(*fees: dict[str, Any]) -> list[Fee]:
    """Replace the birth procedure's fees (the published version: rows written without the draft check).
    Each: name, amount, collected_at, optional note and cases (case codes, created when missing)."""
    version = birth_version()
    Fee.objects.filter(version=version).delete()
    made = []
    for position, spec in enumerate(fees):
        cases = spec.pop("cases", [])
        (fee,) = Fee.objects.bulk_create([Fee(version=version, position=position, **spec)])
        for code in cases:
            case = ProcedureCase.objects.filter(version=version, code=code).first()
            if case is None:
                (case,) = ProcedureCase.objects.bulk_create([ProcedureCase(version=version, code=code, name=code)])
            Fee.cases.through.objects.bulk_create([Fee.cases.through(fee_id=fee.pk, procedurecase_id=case.pk)])
        made.append(fee)
    return made


def walk_in_birth(people: dict[str, Any]) -> Any:
    return dossier_receive_at_desk(
        officer=people["desk"],
        applicant=people["citizen"],
        desk_code="H99.101.MC",
        application=birth_application(),
        originals_seen=[],
    )
