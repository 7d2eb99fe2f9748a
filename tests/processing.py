"""Building blocks for processing tests: the staff of a commune's process, a received dossier."""

from __future__ import annotations

from typing import Any

from motcua.identity.constants import Role
from motcua.signing import demo_certificate_issue
from motcua.workflow.services import dossier_receive, dossier_submit_online
from tests.factories import make_staff
from tests.intake import birth_application


def process_staff(province: dict[str, Any], settings: Any, tmp_path: Any) -> dict[str, Any]:
    """Leader (with a demo certificate), clerk, a second specialist at commune A; a specialist and a
    leader at the department, whose opinion is asked."""
    settings.MOTCUA_SIGNING_DIR = tmp_path / "signing"
    staff = {
        "leader": make_staff(Role.UNIT_LEADER, province["commune_a"], username="lanhdao"),
        "clerk": make_staff(Role.CLERK, province["commune_a"], username="vanthu"),
        "specialist2": make_staff(Role.SPECIALIST, province["commune_a"]),
        "dept_specialist": make_staff(Role.SPECIALIST, province["department"]),
    }
    demo_certificate_issue(
        settings.MOTCUA_SIGNING_DIR, username="lanhdao", full_name="Hoàng Văn Lãnh", organisation="UBND Xã An"
    )
    return staff


def received_birth_dossier(people: dict[str, Any]) -> Any:
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    return dossier_receive(actor=people["desk"], code=dossier.code)
