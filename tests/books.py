"""Building blocks for the tests of the official books: a dossier walked through every step with one late
step, and the text of a PDF."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from pypdf import PdfReader

from motcua.dossiers.models import Dossier
from motcua.workflow.constants import ReturnVia
from motcua.workflow.processing import (
    consultation_answer,
    dossier_approve,
    dossier_consult,
    dossier_forward,
    dossier_issue_result,
    dossier_return_result,
    dossier_take,
)
from tests.intake import HCM
from tests.processing import received_birth_dossier


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of March 2026 in Hà Nội time (Monday 9 to Friday 13 are working days)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=HCM)


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def returned_dossier(people: dict[str, Any], staff: dict[str, Any], clock: Any) -> Dossier:
    """Received Monday 09:00 (due Tuesday 09:00), then, with the default process of the birth
    registration (desk 0.25 h → specialist 5.25 h → leader 1.5 h → clerk 0.25 h → desk 0.75 h):

    09:15 the desk hands it to the specialists' pool, exactly at the step's deadline (on time);
    09:30 a specialist takes it; 09:45 consults the department (4 h: due 15:15), which answers at 10:00;
    16:30 the specialist forwards it to the leader, half an hour after the step's 16:00 deadline (late);
    Tuesday 08:00 the leader approves (due 08:30: early); 08:15 the clerk issues it (due 08:15: on time);
    08:40 the desk returns it at the desk (due 09:00: early).
    """
    desk, specialist, leader, clerk = people["desk"], people["specialist"], staff["leader"], staff["clerk"]
    clock.move_to(at(9, 9))
    code = received_birth_dossier(people).code
    clock.move_to(at(9, 9, 15))
    dossier_forward(actor=desk, code=code)
    clock.move_to(at(9, 9, 30))
    dossier_take(actor=specialist, code=code)
    clock.move_to(at(9, 9, 45))
    dossier_consult(actor=specialist, code=code, agency_codes=["H99.01"], question="Xác minh nơi cư trú?", hours=4)
    clock.move_to(at(9, 10))
    consultation_answer(actor=staff["dept_specialist"], code=code, answer="Đúng nơi cư trú.")
    clock.move_to(at(9, 16, 30))
    dossier_forward(actor=specialist, code=code, assignee=leader)
    clock.move_to(at(10, 8))
    dossier_approve(actor=leader, code=code, assignee=clerk)
    clock.move_to(at(10, 8, 15))
    dossier_issue_result(actor=clerk, code=code)
    clock.move_to(at(10, 8, 40))
    return dossier_return_result(actor=desk, code=code, via=ReturnVia.DESK)
