"""Who sees an applicant's full personal ID and phone, and the audit entry each such view leaves.

Desk officers of the receiving agency handle the applicant in person (they receive, call back and
return the result), so they see the numbers in full; everyone else sees them masked (``mask``), as do
lists meant for others and the logs. Every page that shows them in full to staff records who saw
which dossiers (Luật Bảo vệ dữ liệu cá nhân 2025 and Nghị định 13/2023/NĐ-CP: processing of personal
data is logged).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from motcua.core.audit import audit
from motcua.dossiers.models import Dossier
from motcua.identity.constants import Role
from motcua.identity.selectors import agencies_for

PERSONAL_DATA_READ = "dossier_personal_data_read"


def handling_agency_ids(user: Any) -> set[int]:
    """Agencies whose received dossiers ``user`` handles at the desk (one query per call)."""
    return set(agencies_for(user, [Role.DESK_OFFICER]).values_list("pk", flat=True))


def personal_data_visible(user: Any, dossier: Dossier, *, handling: set[int] | None = None) -> bool:
    """Whether ``user`` handles ``dossier`` at the desk and may see its personal numbers in full."""
    agencies = handling if handling is not None else handling_agency_ids(user)
    return dossier.receiving_agency_id in agencies


def personal_data_read_record(*, actor: Any, dossiers: Sequence[Dossier], where: str) -> None:
    """Record that ``actor`` was shown the full personal ID and phone of ``dossiers`` on page ``where``.

    The entry names the dossiers, never the numbers themselves.
    """
    if not dossiers:
        return
    codes = [d.code for d in dossiers]
    audit(
        actor=actor,
        action=PERSONAL_DATA_READ,
        object_type=Dossier._meta.label,
        object_id=codes[0] if len(codes) == 1 else "",
        summary=f"{where}: {', '.join(codes)}",
        data={"where": where, "dossiers": codes},
    )
