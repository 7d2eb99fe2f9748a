"""A small history checked by hand, shared by the reports' tests and the dashboard's.

On Monday 2026-03-09 at commune A (H99.101), the competent agency of every dossier:

- d1 online: received, decided, issued the same day (finished early), returned electronically;
- d2 online: received, then a supplement requested (paused: never overdue);
- d3 online: refused at reception;
- d4 at the desk: received with the originals seen and nothing scanned (not digitized), overdue on the
  Wednesday the clock is moved to;
- d5 online: received, then withdrawn.

Then the clock moves to Wednesday 2026-03-11 10:00.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from motcua.workflow.constants import ReturnVia
from motcua.workflow.processing import dossier_approve, dossier_forward, dossier_issue_result, dossier_return_result
from motcua.workflow.services import (
    dossier_receive,
    dossier_receive_at_desk,
    dossier_refuse,
    dossier_request_supplement,
    dossier_submit_online,
    dossier_withdraw,
)
from tests.intake import birth_application, birth_documents
from tests.processing import process_staff


def small_history(
    province: dict[str, Any], people: dict[str, Any], settings: Any, tmp_path: Any, clock: Any
) -> dict[str, Any]:
    """Build the history through the services (``clock``: the ``monday_morning`` traveller). Returns the
    province's agencies, plus ``dossiers`` (name → code) and ``staff`` (the process staff)."""
    staff = process_staff(province, settings, tmp_path)
    desk, citizen = people["desk"], people["citizen"]

    def online() -> Any:
        return dossier_submit_online(actor=citizen, application=birth_application())

    d1 = online()
    dossier_receive(actor=desk, code=d1.code)
    dossier_forward(actor=desk, code=d1.code, assignee=people["specialist"])
    dossier_forward(actor=people["specialist"], code=d1.code, assignee=staff["leader"])
    dossier_approve(actor=staff["leader"], code=d1.code, assignee=staff["clerk"])
    dossier_issue_result(actor=staff["clerk"], code=d1.code)
    dossier_return_result(actor=desk, code=d1.code, via=ReturnVia.ELECTRONIC)
    d2 = online()
    dossier_receive(actor=desk, code=d2.code)
    dossier_request_supplement(actor=desk, code=d2.code, missing=["Giấy chứng sinh"], note="")
    d3 = online()
    dossier_refuse(actor=desk, code=d3.code, reason="Sai thẩm quyền")
    walk_in = birth_application(uploads=[])  # originals seen, nothing scanned: not digitized
    d4 = dossier_receive_at_desk(
        officer=desk,
        applicant=citizen,
        desk_code="H99.101.MC",
        application=walk_in,
        originals_seen=[doc.pk for doc in birth_documents()],
    )
    d5 = online()
    dossier_receive(actor=desk, code=d5.code)
    dossier_withdraw(actor=citizen, code=d5.code, reason="Công dân yêu cầu rút hồ sơ")
    clock.shift(timedelta(days=2, hours=1))  # Wednesday 10:00: the walk-in is overdue
    codes = {"d1": d1.code, "d2": d2.code, "d3": d3.code, "d4": d4.code, "d5": d5.code}
    return {**province, "dossiers": codes, "staff": staff}
