"""Official slips as PDF: the forms of Thông tư 03/2025/TT-VPCP (Phụ lục I, mẫu số 01–03).

A slip is the paper trace of one workflow event: the receipt and appointment of the ``receive`` event,
the refusal slip of ``refuse``, the supplement guide of ``request_supplement``. The slip is a Vietnamese
legal document, so its fixed wording is Vietnamese here and in the templates, not translatable UI text.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import segno
from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from motcua.catalog.constants import DocumentForm
from motcua.core.exceptions import DomainError
from motcua.core.site import tracking_url as site_tracking_url
from motcua.dossiers.constants import ApplicantType, ReturnMethod
from motcua.dossiers.models import REUSE_SOURCE, Dossier, DossierDocument, DossierEvent
from motcua.dossiers.selectors import dossier_for

HCM = ZoneInfo("Asia/Ho_Chi_Minh")

# The values of workflow.constants.Action: dossiers sits below workflow, so it names them itself (a test
# checks that they agree).
RECEIVE = "receive"
REFUSE = "refuse"
REQUEST_SUPPLEMENT = "request_supplement"


class SlipKind(enum.StrEnum):
    RECEIPT = "receipt"
    REFUSAL = "refusal"
    SUPPLEMENT = "supplement"


# The event each slip records.
SLIP_LABELS: dict[SlipKind, Any] = {
    SlipKind.RECEIPT: _("Receipt and appointment slip"),
    SlipKind.REFUSAL: _("Refusal slip"),
    SlipKind.SUPPLEMENT: _("Supplement guide"),
}

SLIP_EVENT: dict[SlipKind, str] = {
    SlipKind.RECEIPT: RECEIVE,
    SlipKind.REFUSAL: REFUSE,
    SlipKind.SUPPLEMENT: REQUEST_SUPPLEMENT,
}


class SlipNotAvailable(DomainError):
    """The dossier has not (yet) gone through the event the slip records: the slip does not exist."""

    code = "slip_not_available"
    status = 404
    default_message = _("This slip does not exist for the dossier in its current state.")


# Legal wording of the forms (Vietnamese on the document whatever the reader's language).
ID_LABEL = {
    ApplicantType.CITIZEN: "Số định danh cá nhân",
    ApplicantType.ENTERPRISE: "Mã số doanh nghiệp",
}
OTHER_ID_LABEL = "Mã số / số giấy tờ"
TIME_UNIT = {
    "working_days": "ngày làm việc",
    "working_hours": "giờ làm việc",
    "calendar_days": "ngày",
}
NO_DEADLINE = "Không quy định thời hạn"
DOCUMENT_FORM = {
    "original": "Bản chính",
    "copy": "Bản sao",
    "certified_copy": "Bản sao chứng thực",
    "electronic": "Bản điện tử",
}


@dataclass(frozen=True)
class SlipDocument:
    number: int
    name: str
    form: str
    given: str
    file_name: str = ""


def _last_event(dossier: Dossier, action: str) -> DossierEvent | None:
    return dossier.events.select_related("actor").filter(action=action).order_by("-at", "-id").first()


def available_slips(dossier: Dossier) -> list[SlipKind]:
    """The slips a dossier has: one per event it went through (a received dossier keeps its receipt)."""
    done = set(dossier.events.values_list("action", flat=True))
    return [kind for kind in SlipKind if SLIP_EVENT[kind] in done]


def slip_event(dossier: Dossier, kind: SlipKind | str) -> DossierEvent:
    """The event the slip records, or ``SlipNotAvailable``."""
    try:
        kind = SlipKind(kind)
    except ValueError:
        raise SlipNotAvailable() from None
    event = _last_event(dossier, SLIP_EVENT[kind])
    if event is None:
        raise SlipNotAvailable()
    return event


def tracking_url(dossier: Dossier) -> str:
    # An absolute URL under MOTCUA_SITE_URL, since it leaves the site on paper.
    return site_tracking_url(dossier.code)


def qr_data_uri(text: str) -> str:
    return str(segno.make(text, error="m", micro=False).svg_data_uri(scale=4, border=0))


def local(value: datetime) -> datetime:
    return value.astimezone(HCM)


def time_and_date(value: datetime | None) -> str:
    return f"{local(value):%H:%M}, ngày {local(value):%d/%m/%Y}" if value else ""


def long_date(value: datetime) -> str:
    return f"ngày {local(value):%d} tháng {local(value):%m} năm {local(value):%Y}"


def processing_time(amount: Decimal | None, unit: str) -> str:
    if unit not in TIME_UNIT or amount is None:
        return NO_DEADLINE
    number = f"{amount.normalize():f}".replace(".", ",")
    return f"{number} {TIME_UNIT[unit]}"


def person_name(user: Any) -> str:
    return (getattr(user, "full_name", "") or getattr(user, "username", "")) if user else ""


# What the desk writes for a document received on paper, by the paper's form.
PAPER_GIVEN = {
    DocumentForm.ORIGINAL: "Đã đối chiếu bản chính",
    DocumentForm.CERTIFIED_COPY: "Đã nhận bản giấy",
    DocumentForm.COPY: "Đã nhận bản giấy",
}


def reused_given(code: str) -> str:
    """What the receipt writes for a document taken from the applicant's data store: no paper and no new
    file was given, so none is certified (issue 14; Nghị định 45/2020/NĐ-CP, Điều 14)."""
    return f"Tái sử dụng từ kho dữ liệu (mã {code})"


def _documents(dossier: Dossier) -> list[SlipDocument]:
    """The documents actually received (files and papers of the application and its supplements, not
    the processing's attachments), each with the form it really had (Thông tư 03/2025, mẫu 01); one
    taken from the data store says so, with the stored document's code."""
    rows = (
        DossierDocument.objects.filter(dossier=dossier, event__isnull=True)
        .select_related("required_document", REUSE_SOURCE)
        .order_by("id")
    )
    documents = []
    for number, doc in enumerate(rows, start=1):
        spec = doc.required_document
        if reused := doc.reused_code:
            documents.append(
                SlipDocument(number=number, name=doc.name, form=DOCUMENT_FORM["electronic"], given=reused_given(reused))
            )
            continue
        # Documents received before the form was recorded: an original seen, else a file.
        received = doc.form or (DocumentForm.ORIGINAL if doc.original_seen else DocumentForm.ELECTRONIC)
        if received in PAPER_GIVEN:
            given, file_name = PAPER_GIVEN[DocumentForm(received)], ""
        else:
            given = "Tệp điện tử bổ sung" if doc.for_supplement else "Tệp điện tử"
            file_name = doc.original_name
            given += ":" if file_name else ""
        form = DOCUMENT_FORM.get(received, "") if (doc.form or spec) else ""
        documents.append(SlipDocument(number=number, name=doc.name, form=form, given=given, file_name=file_name))
    return documents


def _book_entry(dossier: Dossier) -> dict[str, Any]:
    """The tracking book's volume and entry given at reception (``workflow.models.BookEntry``, reached by
    its relation: dossiers sits below workflow), or empty values for a dossier received before books
    were numbered."""
    try:
        entry = dossier.book_entry  # type: ignore[attr-defined]
    except ObjectDoesNotExist:
        return {"book_volume": "", "book_number": ""}
    return {"book_volume": entry.volume, "book_number": entry.number}


def vnd(amount: int) -> str:
    """An amount of đồng as written on a slip: 14.000 đồng."""
    return f"{amount:,} đồng".replace(",", ".")


def _digitization_fee(dossier: Dossier) -> str:
    """The digitization fee charged by the desk for paper it scanned on demand, as an amount due
    (``documents.models.DigitizationCharge``, reached by its relation: dossiers sits below documents)."""
    charges = list(dossier.digitization_charges.all())  # type: ignore[attr-defined]
    if not charges:
        return ""
    pages = ", ".join(f"{c.pages} trang × {vnd(c.amount_per_page)}/trang" for c in charges)
    return f"{vnd(sum(c.amount for c in charges))} ({pages})"


def _return_method(dossier: Dossier) -> str:
    if dossier.return_method == ReturnMethod.POST:
        return f"Qua dịch vụ bưu chính công ích, đến địa chỉ: {dossier.return_address}"
    if dossier.return_method == ReturnMethod.ELECTRONIC:
        return "Bản điện tử, trên Cổng Dịch vụ công (tài khoản của người nộp hồ sơ)"
    desk = dossier.desk
    place = desk.name if desk else dossier.receiving_agency.name
    address = (desk.address if desk else "") or dossier.receiving_agency.address
    return f"Tại {place}" + (f", {address}" if address else "")


def slip_context(dossier: Dossier, kind: SlipKind | str) -> dict[str, Any]:
    event = slip_event(dossier, kind)
    kind = SlipKind(kind)
    version = dossier.procedure_version
    agency = dossier.receiving_agency
    url = tracking_url(dossier)
    context: dict[str, Any] = {
        "kind": kind.value,
        "dossier": dossier,
        "parent_agency": agency.parent.name if agency.parent else "",
        "agency": agency,
        "desk_name": dossier.desk.name if dossier.desk else "Bộ phận Một cửa",
        "id_label": ID_LABEL.get(ApplicantType(dossier.applicant_type), OTHER_ID_LABEL),
        "procedure_name": version.name,
        "procedure_code": dossier.procedure.code,
        "issued_on": long_date(event.at),
        "event_at": time_and_date(event.at),
        "officer": person_name(event.actor),
        "note": event.note,
        "tracking_url": url,
        "qr": qr_data_uri(url),
    }
    if kind == SlipKind.RECEIPT:
        context |= {
            "documents": _documents(dossier),
            "sets": "01",
            "processing_time": processing_time(*version.time_for_case(version.case_named(dossier.case_code))),
            "received_at": time_and_date(dossier.received_at or event.at),
            "due_at": time_and_date(dossier.due_at) or NO_DEADLINE,
            "return_method": _return_method(dossier),
            "digitization_fee": _digitization_fee(dossier),
            "submitter": dossier.authorised_name or dossier.applicant_name,
            **_book_entry(dossier),
        }
    elif kind == SlipKind.SUPPLEMENT:
        items = [str(item) for item in event.payload.get("missing", [])]
        context |= {
            "items": items,
            # Without a reason of its own, the service stores the list as the note: do not print it twice.
            "reason": "" if event.note == "; ".join(items) else event.note,
            "contact_phone": agency.phone,
        }
    return context


def slip_html(dossier: Dossier, kind: SlipKind | str) -> str:
    context = slip_context(dossier, kind)
    return render_to_string(f"dossiers/slips/{context['kind']}.html", context)


def slip_file(user: Any, code: str, kind: str) -> tuple[bytes, str] | None:
    """(PDF, file name) of a slip of a dossier the user may see, or None when there is none to give
    (dossier not visible, or not yet through the event the slip records, or an unknown kind)."""
    dossier = dossier_for(user, code)
    if dossier is None:
        return None
    try:
        return slip_pdf(dossier, kind), f"{SlipKind(kind).value}-{dossier.code}.pdf"
    except SlipNotAvailable:
        return None


def slip_pdf(dossier: Dossier, kind: SlipKind | str) -> bytes:
    """The slip as an A4 PDF, or ``SlipNotAvailable`` if the dossier has no such slip."""
    html = slip_html(dossier, kind)
    # Imported here: loading Pango takes a moment that only slip downloads should pay.
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
