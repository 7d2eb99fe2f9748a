"""Building blocks for certified-copy tests: the demo catalog's e-copy procedure at commune A (H99.101),
its certifier and clerk, the agency's certificate, a dossier received at the desk with a scanned original."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from motcua.catalog.constants import CATALOG_FORMAT
from motcua.catalog.models import RequiredDocument
from motcua.catalog.services import catalog_import
from motcua.documents.constants import CERTIFIED_COPY_PROCEDURE_CODES
from motcua.identity.constants import Role
from motcua.signing import demo_agency_certificate_issue
from motcua.workflow.certification import certification_processes_ensure
from motcua.workflow.services import Application, dossier_receive_at_desk
from tests.factories import make_staff
from tests.intake import make_pdf, pdf

E_COPY = CERTIFIED_COPY_PROCEDURE_CODES[0]
DEMO_CATALOG = Path(__file__).resolve().parent.parent / "src/motcua/demo/demo_data/catalog.json"


def e_copy_entry() -> dict[str, Any]:
    """The demo catalog's own entry, offered by commune A and the department of the test province."""
    procedures = json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))["procedures"]
    entry = copy.deepcopy(next(p for p in procedures if p["code"] == E_COPY))
    entry["agencies"] = ["H99.101", "H99.01"]
    return entry


def certification_setup(province: dict[str, Any], settings: Any, tmp_path: Path) -> dict[str, Any]:
    """The e-copy procedure imported with its certification process; a certifier (leader) and a clerk at
    commune A, a leader at commune B; commune A holds its agency certificate."""
    settings.MOTCUA_SIGNING_DIR = tmp_path / "signing"
    catalog_import(
        actor=None,
        document={
            "format": CATALOG_FORMAT,
            "sectors": [{"code": "CHUNGTHUC", "name": "Chứng thực"}],
            "procedures": [e_copy_entry()],
        },
    )
    certification_processes_ensure()
    demo_agency_certificate_issue(
        settings.MOTCUA_SIGNING_DIR, agency_code="H99.101", agency_name="Ủy ban nhân dân Xã An"
    )
    return {
        "certifier": make_staff(Role.UNIT_LEADER, province["commune_a"], username="chungthuc"),
        "clerk": make_staff(Role.CLERK, province["commune_a"], username="vanthu.ct"),
        "other_leader": make_staff(Role.UNIT_LEADER, province["commune_b"], username="lanhdao.b"),
        "ca_file": settings.MOTCUA_SIGNING_DIR / "ca" / "ca.cert.pem",
    }


def original_document() -> RequiredDocument:
    return RequiredDocument.objects.get(version__procedure__code=E_COPY)


def received_copy_request(people: dict[str, Any], *, pages: int = 3, copies: int = 1) -> Any:
    """A walk-in request: the desk scans the original (``pages`` pages) and receives the dossier."""
    spec = original_document()
    citizen = people["citizen"]
    return dossier_receive_at_desk(
        officer=people["desk"],
        applicant=citizen,
        desk_code="H99.101.MC",
        application=Application(
            procedure_code=E_COPY,
            agency_code="H99.101",
            form_data={
                "ho_ten_nguoi_yeu_cau": citizen.full_name or "Nguyễn Thị Lan",
                "so_dinh_danh_nguoi_yeu_cau": citizen.personal_id,
                "ten_giay_to": "Bằng tốt nghiệp trung học phổ thông",
                "so_ban": copies,
            },
            uploads=[pdf("ban-chinh.pdf", spec.pk, make_pdf(f"ban chinh {pages}", pages=pages))],
        ),
        originals_seen=[spec.pk],
    )
