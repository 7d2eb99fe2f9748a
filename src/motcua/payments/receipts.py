"""The e-receipt of a fee or charge collected (biên lai thu phí, lệ phí: Nghị định 123/2020/NĐ-CP and Thông
tư 78/2021/TT-BTC; the amount in figures and in words), as an A4 PDF printed by weasyprint like the dossier's
slips. Its number is issued by ``payments.settle`` when the payment is recorded (``BL.<agency>.<year>.<n>``);
a request fully exempted has none, so it has no receipt.

The receipt is a Vietnamese legal document: its fixed wording is Vietnamese here and in the template, not
translatable UI text. Who may download it: the applicant (their own dossier) and staff who see the dossier
(``dossiers.selectors.dossier_for``), staff downloads audited."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from motcua.core.audit import audit
from motcua.dossiers.selectors import dossier_for
from motcua.dossiers.slips import ID_LABEL, OTHER_ID_LABEL, long_date, person_name, time_and_date, vnd
from motcua.payments.constants import PaymentMethod
from motcua.payments.models import PaymentRequest

TITLE = "BIÊN LAI THU PHÍ, LỆ PHÍ"

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
# Groups of three digits, from the right: đơn vị, nghìn, triệu, tỷ, then nghìn tỷ, triệu tỷ.
GROUPS = ["", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ"]

METHOD = {
    PaymentMethod.CASH: "Tiền mặt",
    PaymentMethod.TRANSFER: "Chuyển khoản",
    PaymentMethod.ONLINE: "Thanh toán trực tuyến",
    PaymentMethod.EXEMPT: "Miễn",
}


def _three_digits(number: int, *, full: bool) -> list[str]:
    """Words of 0 < number < 1000; ``full``: a group after a higher one reads its hundreds and "linh"
    (1.005.000 = một triệu không trăm linh năm nghìn)."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 0:
        return words
    if units == 1 and tens > 1:
        words.append("mốt")
    elif units == 5 and tens > 0:
        words.append("lăm")
    else:
        words.append(DIGITS[units])
    return words


def amount_in_words(amount: int) -> str:
    """An amount of đồng in Vietnamese words, as a receipt writes it: 8.000 → "Tám nghìn đồng",
    1.250.000 → "Một triệu hai trăm năm mươi nghìn đồng", 105.000 → "Một trăm linh năm nghìn đồng"."""
    if amount < 0:
        raise ValueError("A negative amount has no words on a receipt.")
    if amount >= 1000 ** len(GROUPS):
        raise ValueError("Amount too large.")
    if amount == 0:
        return "Không đồng"
    groups: list[int] = []
    rest = amount
    while rest:
        groups.append(rest % 1000)
        rest //= 1000
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        value = groups[index]
        if value == 0:
            continue
        words += _three_digits(value, full=bool(words))
        if GROUPS[index]:
            words.append(GROUPS[index])
    text = " ".join([*words, "đồng"])
    return text[0].upper() + text[1:]


def receipt_context(request: PaymentRequest) -> dict[str, Any]:
    dossier = request.dossier
    agency = dossier.receiving_agency
    paid_at = request.paid_at or timezone.now()
    return {
        "title": TITLE,
        "request": request,
        "dossier": dossier,
        "agency": agency,
        "parent_agency": agency.parent.name if agency.parent else "",
        "issued_on": long_date(paid_at),
        "paid_at": time_and_date(paid_at),
        "id_label": ID_LABEL.get(dossier.applicant_type, OTHER_ID_LABEL),  # type: ignore[call-overload]
        "procedure_name": dossier.procedure_version.name,
        "procedure_code": dossier.procedure.code,
        "amount": vnd(request.amount),
        "full_amount": vnd(request.full_amount),
        "words": amount_in_words(request.amount),
        "method": METHOD.get(request.method, request.method),  # type: ignore[call-overload]
        "officer": person_name(request.recorded_by) if request.recorded_by_id else "",
    }


def receipt_pdf(request: PaymentRequest) -> bytes:
    """The receipt of a request that has a receipt number, as an A4 PDF."""
    html = render_to_string("payments/receipt.html", receipt_context(request))
    # Imported here: loading Pango takes a moment that only receipt downloads pay.
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def receipt_request(user: Any, code: str, reference: str) -> PaymentRequest | None:
    """The request of a dossier ``user`` sees (their own, or in their staff scope) that has a receipt; None
    otherwise (not theirs, not paid, exempted)."""
    dossier = dossier_for(user, code)
    if dossier is None:
        return None
    return (
        PaymentRequest.objects.select_related(
            "dossier__receiving_agency__parent", "dossier__procedure", "dossier__procedure_version", "recorded_by"
        )
        .filter(dossier_id=dossier.pk, reference=reference, receipt_number__isnull=False)
        .first()
    )


def receipt_file(user: Any, code: str, reference: str, *, staff: bool) -> tuple[bytes, str] | None:
    """(PDF, file name) of the receipt, or None when there is none ``user`` may have. A staff download is
    audited (who read whose receipt, when), like other staff downloads of a dossier's papers."""
    request = receipt_request(user, code, reference)
    if request is None:
        return None
    if staff:
        audit(
            actor=user,
            action="payment.receipt_read",
            obj=request,
            summary=f"{code} {request.receipt_number}",
            data={"dossier": code, "receipt": request.receipt_number},
        )
    return receipt_pdf(request), f"bien-lai-{request.receipt_number}.pdf"
