"""Official documents of processing (Thông tư 03/2025/TT-VPCP): the apology letter proposing a new due time,
the process control slip, and the dossier tracking book of a desk or unit.

The apology letter records the ``apologize`` event (Nghị định 118/2025/NĐ-CP: a late dossier gets a
letter proposing a new date, at most once); the control slip is rebuilt from the event log (each event
holds the step, its deadline, the holding unit and person after the action); the tracking book lists the
dossiers an agency received over a period. They are Vietnamese legal documents: their fixed wording is
Vietnamese here and in the templates, not translatable UI text. Everything here only reads.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KT
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency, Desk
from motcua.catalog.processes import process_steps
from motcua.core.exceptions import DomainError
from motcua.core.working_time import Timeliness, classify
from motcua.core.xlsx_text import is_risky, text_cells
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Consultation, Dossier, DossierEvent
from motcua.dossiers.processing_models import DossierResult
from motcua.dossiers.slips import (
    HCM,
    local,
    long_date,
    person_name,
    processing_time,
    qr_data_uri,
    time_and_date,
    tracking_url,
)
from motcua.identity.constants import Role
from motcua.identity.selectors import agencies_for
from motcua.workflow.constants import Action, ReturnVia
from motcua.workflow.stats import compare_by


class ApologyNotAvailable(DomainError):
    """The dossier was never re-dated: it has no apology letter."""

    code = "apology_not_available"
    status = 404
    default_message = _("This dossier has no apology letter.")


class ControlSlipNotAvailable(DomainError):
    """The dossier was not received: its processing has not started, so there is nothing to control."""

    code = "control_slip_not_available"
    status = 404
    default_message = _("The control slip exists once the dossier is received.")


# Fixed wording of the documents.
TIMELINESS_LABEL: dict[str, str] = {
    Timeliness.FINISHED_EARLY: "Trước hạn",
    Timeliness.ON_TIME: "Đúng hạn",
    Timeliness.LATE: "Quá hạn",
    Timeliness.NOT_YET_DUE: "Chưa đến hạn",
    Timeliness.OVERDUE: "Quá hạn",
}
ROLE_PLACE: dict[str, str] = {
    Role.DESK_OFFICER: "Bộ phận Một cửa",
    Role.SPECIALIST: "Chuyên viên xử lý",
    Role.UNIT_LEADER: "Lãnh đạo",
    Role.CLERK: "Văn thư",
}
RETURN_VIA: dict[str, str] = {
    ReturnVia.DESK: "trực tiếp tại Bộ phận Một cửa",
    ReturnVia.POST: "qua dịch vụ bưu chính công ích",
    ReturnVia.ELECTRONIC: "bản điện tử, trực tuyến",
}
OPEN_STATE: dict[str, str] = {
    Status.SUPPLEMENT_REQUESTED: "Chờ bổ sung hồ sơ",
    Status.FINANCIAL_OBLIGATION: "Chờ thực hiện nghĩa vụ tài chính",
    Status.STOPPED: "Dừng xử lý",
    Status.WITHDRAWN: "Đã rút hồ sơ",
}
IN_PROGRESS = "Đang giải quyết"
FINISHED_WITHOUT_DEADLINE = "Đã giải quyết"

# Events that hand the dossier from one step (unit, person) to another, or out of the process.
HANDOVER_ACTIONS = frozenset(
    {
        Action.FORWARD,
        Action.SEND_BACK,
        Action.APPROVE,
        Action.REJECT,
        Action.ISSUE_RESULT,
        Action.RETURN_RESULT,
        Action.STOP,
        Action.WITHDRAW,
    }
)


def timeliness(due: datetime | None, done: datetime | None, now: datetime | None = None) -> Timeliness | None:
    """Where ``done`` (or, while open, ``now``) stands against ``due``; None without a deadline."""
    if due is None or (done is None and now is None):
        return None
    return classify(due=due, finished_at=done, now=now, compare_by=compare_by())


def timeliness_label(value: Timeliness | None) -> str:
    return TIMELINESS_LABEL[value] if value is not None else ""


# ---------------------------------------------------------------------------------------------- apology


def apology_event(dossier: Dossier) -> DossierEvent:
    """The ``apologize`` event (there is at most one), or ``ApologyNotAvailable``."""
    event = dossier.events.select_related("actor").filter(action=Action.APOLOGIZE).order_by("-at", "-id").first()
    if event is None:
        raise ApologyNotAvailable()
    return event


def apology_letter_context(dossier: Dossier) -> dict[str, Any]:
    event = apology_event(dossier)
    agency = dossier.competent_agency
    url = tracking_url(dossier)
    # The due time the letter proposed (the dossier's own may move later, by a pause after the letter).
    new_due = event.due_at or dossier.due_at
    return {
        "dossier": dossier,
        "agency": agency,
        "parent_agency": agency.parent.name if agency.parent is not None else "",
        "desk_name": "",
        "issued_on": long_date(event.at),
        "received_on": long_date(dossier.received_at) if dossier.received_at else "",
        "procedure_name": dossier.procedure_version.name,
        "procedure_code": dossier.procedure.code,
        "original_due": time_and_date(dossier.original_due_at),
        "new_due": time_and_date(new_due),
        "reason": event.note,
        "head": person_name(event.actor),
        "tracking_url": url,
        "qr": qr_data_uri(url),
    }


def _pdf(html: str) -> bytes:
    # Imported here: loading Pango takes a moment that only document downloads should pay.
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def apology_letter_html(dossier: Dossier) -> str:
    return render_to_string("workflow/apology_letter.html", apology_letter_context(dossier))


def apology_letter_pdf(dossier: Dossier) -> bytes:
    """Phiếu xin lỗi và đề nghị gia hạn thời gian giải quyết hồ sơ (A4 PDF), or ``ApologyNotAvailable``."""
    return _pdf(apology_letter_html(dossier))


# ----------------------------------------------------------------------------------------- control slip


@dataclass
class HandOver:
    """One row of the control slip: who gave the dossier on, when, to whom, and how the step that ended
    there kept its deadline."""

    number: int
    action: str
    giver_unit: str
    giver: str
    receiver_unit: str
    receiver: str
    at: datetime
    step_due_at: datetime | None
    timeliness: Timeliness | None
    notes: list[str] = field(default_factory=list)

    @property
    def result(self) -> str:
        return timeliness_label(self.timeliness)

    @property
    def at_text(self) -> str:
        return time_and_date(self.at)

    @property
    def due_text(self) -> str:
        return time_and_date(self.step_due_at)


@dataclass(frozen=True)
class ConsultationRow:
    agency: str
    asked_at: datetime
    asked_by: str
    due_at: datetime | None
    answered_at: datetime | None
    answered_by: str
    timeliness: Timeliness | None

    @property
    def result(self) -> str:
        label = timeliness_label(self.timeliness)
        if self.answered_at is None:
            return f"Chưa trả lời ({label.lower()})" if label else "Chưa trả lời"
        return label

    @property
    def asked_text(self) -> str:
        return time_and_date(self.asked_at)

    @property
    def due_text(self) -> str:
        return time_and_date(self.due_at)

    @property
    def answered_text(self) -> str:
        return time_and_date(self.answered_at)


@dataclass(frozen=True)
class CurrentStep:
    unit: str
    person: str
    since: datetime | None
    step_due_at: datetime | None
    timeliness: Timeliness | None

    @property
    def due_text(self) -> str:
        return time_and_date(self.step_due_at)


@dataclass(frozen=True)
class ControlSlip:
    handovers: list[HandOver]
    consultations: list[ConsultationRow]
    current: CurrentStep | None


def _in_step_note(event: DossierEvent) -> str:
    at = time_and_date(event.at)
    if event.action == Action.REQUEST_SUPPLEMENT:
        return f"Yêu cầu bổ sung hồ sơ lúc {at}"
    if event.action == Action.SUBMIT_SUPPLEMENT:
        return f"Nhận hồ sơ bổ sung lúc {at}"
    if event.action == Action.REQUEST_PAYMENT:
        return f"Yêu cầu thực hiện nghĩa vụ tài chính lúc {at}"
    if event.action == Action.CONFIRM_PAYMENT:
        return f"Hoàn thành nghĩa vụ tài chính lúc {at}"
    if event.action == Action.CONSULT:
        return f"Lấy ý kiến cơ quan phối hợp lúc {at}"
    if event.action == Action.ANSWER_CONSULTATION:
        return f"Nhận ý kiến của cơ quan phối hợp lúc {at}"
    if event.action == Action.APOLOGIZE:
        return f"Xin lỗi và hẹn lại ngày trả kết quả: {time_and_date(event.due_at)}"
    return ""


def _handover_note(event: DossierEvent, result_number: str) -> str:
    note = event.note
    if event.action == Action.SEND_BACK:
        return f"Trả lại bước trước. Lý do: {note}"
    if event.action == Action.APPROVE:
        return "Phê duyệt, ký số kết quả" + (f". {note}" if note else "")
    if event.action == Action.REJECT:
        return f"Không phê duyệt. Lý do: {note}"
    if event.action == Action.ISSUE_RESULT:
        return "Vào số, phát hành kết quả" + (f" số {result_number}" if result_number else "")
    if event.action == Action.RETURN_RESULT:
        return "Trả kết quả" + (f". {note}" if note else "")
    if event.action == Action.STOP:
        return f"Dừng xử lý. Lý do: {note}"
    if event.action == Action.WITHDRAW:
        return f"Người nộp rút hồ sơ. Lý do: {note}"
    if event.payload.get("draft_result"):
        return "Kèm dự thảo kết quả" + (f". {note}" if note else "")
    return note


def _prefetched(dossier: Dossier, name: str, query: Any) -> list[Any]:
    """The dossier's ``name`` rows as prefetched by the selector that loaded it, else read with ``query``."""
    cache = getattr(dossier, "_prefetched_objects_cache", {})
    return list(cache[name]) if name in cache else list(query)


def control_slip_data(dossier: Dossier, *, now: datetime | None = None) -> ControlSlip:
    """The hand-overs of the dossier from its event log, its consultations and where it is now.

    Row *n* is the *n*-th hand-over after reception: the unit and person holding the dossier gave it to
    the next step's unit (and person, or whoever took it from the unit's pool later). Its result compares
    the hand-over time with the deadline of the step it ended (``step_due_at`` of the state before it,
    which includes the extensions by pauses). Notes list what happened during that step.
    """
    now = now or timezone.now()
    events = sorted(
        _prefetched(
            dossier,
            "events",
            DossierEvent.objects.filter(dossier=dossier).select_related("actor", "holder_agency", "assignee"),
        ),
        key=lambda e: (e.at, e.pk),
    )
    start = next((i for i, e in enumerate(events) if e.action == Action.RECEIVE), None)
    if start is None or dossier.received_at is None:
        raise ControlSlipNotAvailable()
    steps = process_steps(dossier.process_id) if dossier.process_id else ()
    desk_name = dossier.desk.name if dossier.desk_id and dossier.desk else ""

    def unit(agency: Agency | None, step: int | None) -> str:
        if agency is None:
            return ""
        role = steps[step - 1].role if step and 0 < step <= len(steps) else ""
        if role == Role.DESK_OFFICER and desk_name and agency.pk == dossier.receiving_agency_id:
            return f"{agency.name} – {desk_name}"
        return f"{agency.name} – {ROLE_PLACE[role]}" if role in ROLE_PLACE else agency.name

    result_number = ""
    if any(e.action == Action.ISSUE_RESULT for e in events):
        result_number = DossierResult.objects.filter(dossier=dossier).values_list("number", flat=True).first() or ""

    rows: list[HandOver] = []
    notes: list[str] = []
    waiting: HandOver | None = None  # handed to a unit's pool: the person is whoever takes it
    previous = events[start]
    for event in events[start + 1 :]:
        if event.action == Action.TAKE:
            if waiting is not None:
                waiting.receiver = f"{person_name(event.actor)} (nhận từ hàng chờ lúc {time_and_date(event.at)})"
                waiting = None
        elif event.action in HANDOVER_ACTIONS:
            closing = event.action in (Action.STOP, Action.WITHDRAW)
            if event.action == Action.RETURN_RESULT:
                via = RETURN_VIA.get(str(event.payload.get("via", "")), "")
                receiver_unit = "Người nộp hồ sơ" + (f" ({via})" if via else "")
                receiver = dossier.applicant_name
            else:
                receiver_unit = unit(event.holder_agency, event.step)
                receiver = person_name(event.assignee)
            row = HandOver(
                number=len(rows) + 1,
                action=event.action,
                giver_unit=unit(previous.holder_agency, previous.step),
                giver=person_name(event.actor),
                receiver_unit=receiver_unit,
                receiver=receiver,
                at=event.at,
                step_due_at=previous.step_due_at,
                timeliness=None if closing else timeliness(previous.step_due_at, event.at),
                notes=[n for n in [*notes, _handover_note(event, result_number)] if n],
            )
            rows.append(row)
            notes = []
            waiting = row if event.holder_agency_id is not None and event.assignee_id is None else None
        elif note := _in_step_note(event):
            notes.append(note)
        previous = event

    current = None
    if dossier.status not in (Status.RETURNED, Status.STOPPED, Status.WITHDRAWN) and dossier.holder_agency_id:
        current = CurrentStep(
            unit=unit(dossier.holder_agency, dossier.step_position),
            person=person_name(dossier.assignee),
            since=dossier.step_started_at,
            step_due_at=dossier.step_due_at,
            timeliness=timeliness(dossier.step_due_at, None, now),
        )
    consultations = [
        ConsultationRow(
            agency=c.agency.name,
            asked_at=c.requested_at,
            asked_by=person_name(c.requested_by),
            due_at=c.due_at,
            answered_at=c.answered_at,
            answered_by=person_name(c.answered_by),
            timeliness=timeliness(c.due_at, c.answered_at, now),
        )
        for c in sorted(
            _prefetched(
                dossier,
                "consultations",
                Consultation.objects.filter(dossier=dossier).select_related("agency", "requested_by", "answered_by"),
            ),
            key=lambda c: (c.requested_at, c.pk),
        )
    ]
    return ControlSlip(handovers=rows, consultations=consultations, current=current)


def control_slip_context(dossier: Dossier, *, now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    data = control_slip_data(dossier, now=now)
    agency = dossier.receiving_agency
    version = dossier.procedure_version
    url = tracking_url(dossier)
    cooperating = list(dict.fromkeys(c.agency for c in data.consultations))
    return {
        "dossier": dossier,
        "agency": agency,
        "parent_agency": agency.parent.name if agency.parent is not None else "",
        "desk_name": dossier.desk.name if dossier.desk_id and dossier.desk else "Bộ phận Một cửa",
        "issued_on": long_date(now),
        "procedure_name": version.name,
        "procedure_code": dossier.procedure.code,
        "processing_time": processing_time(*version.time_for_case(version.case_named(dossier.case_code))),
        "lead_agency": dossier.competent_agency.name,
        "cooperating": cooperating,
        "received_at": time_and_date(dossier.received_at),
        "due_at": time_and_date(dossier.due_at) or "Không quy định thời hạn",
        "original_due_at": time_and_date(dossier.original_due_at),
        "finished_at": time_and_date(dossier.finished_at),
        "finished_result": timeliness_label(timeliness(dossier.due_at, dossier.finished_at)),
        "handovers": data.handovers,
        "consultations": data.consultations,
        "current": data.current,
        "tracking_url": url,
        "qr": qr_data_uri(url),
    }


def control_slip_html(dossier: Dossier, *, now: datetime | None = None) -> str:
    return render_to_string("workflow/control_slip.html", control_slip_context(dossier, now=now))


def control_slip_pdf(dossier: Dossier, *, now: datetime | None = None) -> bytes:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ (A4 PDF) of a received dossier, else
    ``ControlSlipNotAvailable``."""
    return _pdf(control_slip_html(dossier, now=now))


# -------------------------------------------------------------------------------------- tracking book

BOOK_COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 6),
    ("Mã hồ sơ", 22),
    ("Thủ tục", 40),
    ("Người nộp", 24),
    ("Địa chỉ / Số điện thoại", 32),
    ("Cơ quan chủ trì giải quyết", 26),
    ("Ngày nhận", 17),
    ("Hẹn trả", 17),
    ("Ngày hẹn lại", 17),
    ("Ngày có kết quả", 17),
    ("Ngày trả", 17),
    ("Hình thức trả", 24),
    ("Tình trạng", 20),
    ("Ký nhận", 14),
)
BOOK_HEADER_ROW = 7  # the column titles; rows 1-5 say whose book it is, for when and when it was made
DATE_FORMAT = "dd/mm/yyyy hh:mm"
BOOK_FIELDS = (
    "pk",
    "code",
    "procedure_version__name",
    "applicant_name",
    "applicant_address",
    "applicant_phone",
    "competent_agency__name",
    "status",
    "received_at",
    "due_at",
    "original_due_at",
    "finished_at",
    "closed_at",
    "return_method",
)


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in local time, as aware datetimes."""
    return datetime.combine(start, time(0), HCM), datetime.combine(end + timedelta(days=1), time(0), HCM)


def tracking_book_rows(*, agency: Agency, start: date, end: date, desk: Desk | None = None) -> Any:
    """The dossiers ``agency`` (or one of its desks) received between the local dates ``start`` and
    ``end`` (both included), oldest first, as dicts of ``BOOK_FIELDS`` plus ``via`` (how the result was
    returned): one query, however many rows."""
    since, until = period_bounds(start, end)
    returned = (
        DossierEvent.objects.filter(dossier=OuterRef("pk"), action=Action.RETURN_RESULT)
        .order_by("-at", "-id")
        .annotate(via=KT("payload__via"))
        .values("via")[:1]
    )
    rows = Dossier.objects.filter(receiving_agency=agency, received_at__gte=since, received_at__lt=until)
    if desk is not None:
        rows = rows.filter(desk=desk)
    return rows.annotate(via=Subquery(returned)).order_by("received_at", "id").values(*BOOK_FIELDS, "via")


def _naive(value: datetime | None) -> datetime | None:
    # Spreadsheets have no time zones: the local wall-clock time.
    return local(value).replace(tzinfo=None) if value is not None else None


def book_state(row: dict[str, Any]) -> str:
    """Tình trạng: early / on time / late once the result is ready, else where the dossier stands."""
    if row["finished_at"] is not None:
        if row["due_at"] is None:
            return FINISHED_WITHOUT_DEADLINE
        return timeliness_label(timeliness(row["due_at"], row["finished_at"]))
    return OPEN_STATE.get(row["status"], IN_PROGRESS)


def book_values(number: int, row: dict[str, Any]) -> list[Any]:
    """The cells of one row of the book, in the order of ``BOOK_COLUMNS``."""
    redated = row["original_due_at"] is not None
    contact = " / ".join(part for part in (row["applicant_address"], row["applicant_phone"]) if part)
    via = row["via"] or row["return_method"]
    return [
        number,
        row["code"],
        row["procedure_version__name"],
        row["applicant_name"],
        contact,
        row["competent_agency__name"],
        _naive(row["received_at"]),
        _naive(row["original_due_at"] if redated else row["due_at"]),
        _naive(row["due_at"]) if redated else None,
        _naive(row["finished_at"]),
        _naive(row["closed_at"]) if row["status"] == Status.RETURNED else None,
        capfirst(RETURN_VIA.get(via, "")),
        book_state(row),
        None,
    ]


def tracking_book_xlsx(
    *, agency: Agency, start: date, end: date, desk: Desk | None = None, now: datetime | None = None
) -> bytes:
    """Sổ theo dõi hồ sơ of ``agency`` (or of one desk) for the dossiers received from ``start`` to
    ``end`` (local dates, both included), as an XLSX workbook written row by row."""
    from openpyxl import Workbook  # imported here: only book downloads need it
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    now = now or timezone.now()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sổ theo dõi hồ sơ")
    for index, (_title, width) in enumerate(BOOK_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{BOOK_HEADER_ROW + 1}"
    sheet.print_title_rows = f"{BOOK_HEADER_ROW}:{BOOK_HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    bold = Font(bold=True)

    def date_cell(value: datetime) -> WriteOnlyCell:
        # Styled cells cost most of the writing: only dates get one, set before the value so that
        # openpyxl does not first give them its own date format (about 0.5 ms a row in all).
        cell = WriteOnlyCell(sheet)
        cell.number_format = DATE_FORMAT
        cell.value = value
        return cell

    def text(value: str, *, strong: bool = False) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value) if not is_risky(value) else text_cells(sheet, [value])[0]
        if strong:
            cell.font = bold
        return cell

    sheet.append([text(agency.name.upper(), strong=True)])
    sheet.append([text("SỔ THEO DÕI HỒ SƠ", strong=True)])
    sheet.append([f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"])
    sheet.append(
        text_cells(sheet, [f"Nơi tiếp nhận: {desk.name if desk is not None else 'Tất cả các bộ phận tiếp nhận'}"])
    )
    sheet.append([f"Lập lúc {time_and_date(now)}"])
    sheet.append([])
    header = []
    for title, _width in BOOK_COLUMNS:
        cell = text(title, strong=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        header.append(cell)
    sheet.append(header)

    count = 0
    rows = tracking_book_rows(agency=agency, start=start, end=end, desk=desk).iterator(chunk_size=2000)
    for count, row in enumerate(rows, start=1):
        values = [date_cell(value) if isinstance(value, datetime) else value for value in book_values(count, row)]
        sheet.append(text_cells(sheet, values))
    sheet.append([])
    sheet.append([text(f"Tổng số: {count} hồ sơ", strong=True)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# -------------------------------------------------------------------------------------------- scoping

BOOK_ROLES = (Role.DESK_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER, Role.CLERK, Role.SUPERVISOR)


def book_agencies(user: Any) -> QuerySet[Agency]:
    """Agencies whose tracking book the user may download: those where they work on dossiers or
    supervise (sub-agencies of a grant included)."""
    return agencies_for(user, BOOK_ROLES).order_by("path")
