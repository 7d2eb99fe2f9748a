"""The demo's fake national portal against the demo province: what `make demo` shows on the portal page."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.catalog.constants import VersionStatus
from motcua.catalog.models import ProcedureVersion
from motcua.demo.province import load_demo_province
from motcua.integrations.intake_models import IntakeStatus, NationalIntake
from motcua.integrations.intake_services import national_catalog_pull, national_intake_pull

pytestmark = pytest.mark.django_db


def test_the_demo_portal_brings_two_changes_one_new_procedure_and_two_dossiers(
    fake_service: Any, django_capture_on_commit_callbacks: Any
) -> None:
    load_demo_province()
    portal = fake_service("national_portal")
    total = len(portal.app.state["catalog"])

    catalog = national_catalog_pull(actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        dossiers = national_intake_pull(actor=None)

    assert catalog.counts == {"created": 1, "changed": 2, "unchanged": total - 3, "pending": 0, "failed": 0}
    assert (catalog.details["created"], catalog.details["changed"]) == (["1.000419"], ["1.004873", "2.000635"])
    drafts = ProcedureVersion.objects.filter(status=VersionStatus.DRAFT).order_by("procedure__code")
    assert [(v.procedure.code, v.number) for v in drafts] == [("1.000419", 1), ("1.004873", 2), ("2.000635", 2)]
    assert dossiers.counts == {"imported": 1, "failed": 1, "skipped": 0}
    imported = NationalIntake.objects.get(status=IntakeStatus.IMPORTED)
    assert imported.dossier is not None and imported.dossier.competent_agency.code == "H49.101"
    assert NationalIntake.objects.get(status=IntakeStatus.FAILED).reason == "Thủ tục 9.999999 không tồn tại."
