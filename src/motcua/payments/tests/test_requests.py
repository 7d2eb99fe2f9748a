"""Which fees are asked when: online submission, reception (walk-in: submission fees too), the authority's
request with its due date in working days, result ready; a fee of 0 or of another case asks nothing;
exemptions, partial and full."""

from __future__ import annotations

from datetime import datetime

import pytest

from motcua.core.exceptions import PermissionDenied, ValidationFailed
from motcua.core.models import AuditEntry
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.payments.constants import PaymentMethod, PaymentMoment, PaymentStatus
from motcua.payments.models import PaymentRequest, ReceiptCounter
from motcua.payments.requests import PaymentNotExemptable, payment_exempt
from motcua.payments.tests.fees import set_fees, walk_in_birth
from motcua.workflow.processing import dossier_forward, dossier_request_payment
from motcua.workflow.services import dossier_receive, dossier_submit_online, dossier_withdraw
from tests.intake import HCM, birth_application
from tests.processing import received_birth_dossier

THREE_MOMENTS = (
    {"name": "Phí nộp", "amount": 3000, "collected_at": "submission"},
    {"name": "Lệ phí đăng ký", "amount": 8000, "collected_at": "reception", "note": "Mức thu minh họa"},
    {"name": "Lệ phí miễn", "amount": 0, "collected_at": "reception"},
    {"name": "Phí bản sao", "amount": 8000, "collected_at": "return"},
)


def asked(dossier: Dossier) -> list[tuple[str, str, int, str]]:
    return [
        (r.name, r.moment, r.amount, r.status) for r in PaymentRequest.objects.filter(dossier=dossier).order_by("id")
    ]


def test_online_submission_asks_the_submission_fees_and_reception_the_reception_fees(people, monday_morning) -> None:
    set_fees(*THREE_MOMENTS)
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    assert asked(dossier) == [("Phí nộp", PaymentMoment.SUBMISSION, 3000, PaymentStatus.UNPAID)]
    dossier_receive(actor=people["desk"], code=dossier.code)
    assert asked(dossier) == [
        ("Phí nộp", PaymentMoment.SUBMISSION, 3000, PaymentStatus.UNPAID),
        ("Lệ phí đăng ký", PaymentMoment.RECEPTION, 8000, PaymentStatus.UNPAID),
    ]
    references = list(PaymentRequest.objects.filter(dossier=dossier).values_list("reference", flat=True))
    assert references == [f"{dossier.code}.TT01", f"{dossier.code}.TT02"]
    assert PaymentRequest.objects.filter(dossier=dossier, due_at__isnull=False).count() == 0


def test_a_walk_in_dossier_is_asked_its_submission_and_reception_fees_at_reception(people, monday_morning) -> None:
    set_fees(*THREE_MOMENTS)
    dossier = walk_in_birth(people)
    assert dossier.status == Status.RECEIVED
    assert asked(dossier) == [
        ("Phí nộp", PaymentMoment.SUBMISSION, 3000, PaymentStatus.UNPAID),
        ("Lệ phí đăng ký", PaymentMoment.RECEPTION, 8000, PaymentStatus.UNPAID),
    ]


def test_no_fee_above_zero_asks_nothing(people, monday_morning) -> None:
    # The test catalog's birth fee: "Lệ phí", 0 đồng, at reception.
    dossier = received_birth_dossier(people)
    assert PaymentRequest.objects.filter(dossier=dossier).count() == 0


def test_a_fee_of_another_case_is_not_asked(people, monday_morning) -> None:
    set_fees(
        {"name": "Lệ phí đúng hạn", "amount": 0, "collected_at": "reception", "cases": ["dung-han"]},
        {"name": "Lệ phí quá hạn", "amount": 8000, "collected_at": "reception", "cases": ["qua-han"]},
        {"name": "Phí chung", "amount": 2000, "collected_at": "reception"},
    )
    late = dossier_submit_online(actor=people["citizen"], application=birth_application(case="qua-han"))
    on_time = dossier_submit_online(actor=people["citizen"], application=birth_application(case="dung-han"))
    for dossier in (late, on_time):
        dossier_receive(actor=people["desk"], code=dossier.code)
    assert [r[0] for r in asked(late)] == ["Lệ phí quá hạn", "Phí chung"]
    assert [r[0] for r in asked(on_time)] == ["Phí chung"]


def test_the_authority_asks_one_amount_due_in_five_working_days(people, monday_morning) -> None:
    dossier = received_birth_dossier(people)
    dossier_forward(actor=people["desk"], code=dossier.code, assignee=people["specialist"])
    dossier_request_payment(actor=people["specialist"], code=dossier.code, amount=120000, note="Lệ phí trước bạ")
    request = PaymentRequest.objects.get(dossier=dossier)
    assert (request.name, request.moment, request.full_amount, request.amount, request.status) == (
        "Lệ phí trước bạ",
        PaymentMoment.AUTHORITY,
        120000,
        120000,
        PaymentStatus.UNPAID,
    )
    # Asked Monday 9 March 09:00: five working days later is Monday 16 March 09:00.
    assert request.due_at == datetime(2026, 3, 16, 9, 0, tzinfo=HCM)


def test_the_due_date_is_a_setting(people, monday_morning, settings) -> None:
    settings.MOTCUA_PAYMENT_DUE_WORKING_DAYS = 2
    dossier = received_birth_dossier(people)
    dossier_forward(actor=people["desk"], code=dossier.code, assignee=people["specialist"])
    dossier_request_payment(actor=people["specialist"], code=dossier.code, amount=5000, note="Lệ phí")
    request = PaymentRequest.objects.get(dossier=dossier)
    assert request.due_at == datetime(2026, 3, 11, 9, 0, tzinfo=HCM)


def test_a_withdrawal_cancels_the_fees_asked(people, monday_morning) -> None:
    set_fees(*THREE_MOMENTS)
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    dossier_withdraw(actor=people["citizen"], code=dossier.code, reason="Nộp nhầm")
    assert asked(dossier) == [("Phí nộp", PaymentMoment.SUBMISSION, 3000, PaymentStatus.CANCELLED)]


def test_a_lower_amount_keeps_the_request_unpaid_with_its_reason(people, monday_morning) -> None:
    set_fees(*THREE_MOMENTS)
    dossier = walk_in_birth(people)
    reference = f"{dossier.code}.TT02"
    request = payment_exempt(actor=people["desk"], reference=reference, amount=4000, reason="Hộ nghèo")
    fresh = PaymentRequest.objects.get(reference=reference)
    assert (fresh.full_amount, fresh.amount, fresh.exemption_reason, fresh.status, fresh.receipt_number) == (
        8000,
        4000,
        "Hộ nghèo",
        PaymentStatus.UNPAID,
        None,
    )
    assert request.amount == 4000
    entry = AuditEntry.objects.get(action="payment.exempt")
    assert (entry.actor_id, entry.data) == (people["desk"].pk, {"from": 8000, "to": 4000, "reason": "Hộ nghèo"})


def test_a_full_exemption_settles_without_a_receipt(people, monday_morning) -> None:
    set_fees(*THREE_MOMENTS)
    dossier = walk_in_birth(people)
    reference = f"{dossier.code}.TT01"
    payment_exempt(actor=people["desk"], reference=reference, amount=0, reason="Người có công với cách mạng")
    fresh = PaymentRequest.objects.get(reference=reference)
    assert (fresh.amount, fresh.status, fresh.method, fresh.receipt_number, fresh.recorded_by_id) == (
        0,
        PaymentStatus.PAID,
        PaymentMethod.EXEMPT,
        None,
        people["desk"].pk,
    )
    assert ReceiptCounter.objects.count() == 0


def test_a_full_exemption_of_the_authoritys_amount_resumes_the_dossier(people, monday_morning) -> None:
    dossier = received_birth_dossier(people)
    dossier_forward(actor=people["desk"], code=dossier.code, assignee=people["specialist"])
    dossier_request_payment(actor=people["specialist"], code=dossier.code, amount=5000, note="Lệ phí")
    assert Dossier.objects.get(pk=dossier.pk).status == Status.FINANCIAL_OBLIGATION
    payment_exempt(actor=people["desk"], reference=f"{dossier.code}.TT01", amount=0, reason="Trẻ em dưới 6 tuổi")
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert fresh.status == Status.IN_PROGRESS
    assert fresh.events.latest("at").action == "confirm_payment"


def rows() -> tuple:
    return (
        list(PaymentRequest.objects.order_by("id").values_list("amount", "exemption_reason", "status")),
        AuditEntry.objects.filter(action="payment.exempt").count(),
        ReceiptCounter.objects.count(),
    )


@pytest.mark.parametrize(
    ("who", "amount", "reason", "error"),
    [
        ("desk", 4000, "  ", ValidationFailed),
        ("desk", 8000, "Hộ nghèo", ValidationFailed),
        ("desk", 9000, "Hộ nghèo", ValidationFailed),
        ("desk", -1, "Hộ nghèo", ValidationFailed),
        ("desk", "4000", "Hộ nghèo", ValidationFailed),
        ("other_desk", 4000, "Hộ nghèo", PermissionDenied),
        ("specialist", 0, "Hộ nghèo", PermissionDenied),
    ],
)
def test_a_refused_exemption_changes_nothing(people, monday_morning, who, amount, reason, error) -> None:
    set_fees(*THREE_MOMENTS)
    dossier = walk_in_birth(people)
    before = rows()
    with pytest.raises(error):
        payment_exempt(actor=people[who], reference=f"{dossier.code}.TT02", amount=amount, reason=reason)
    assert rows() == before


def test_a_paid_request_cannot_be_exempted(people, monday_morning) -> None:
    from motcua.payments.desk import payment_record_at_desk

    set_fees(*THREE_MOMENTS)
    dossier = walk_in_birth(people)
    reference = f"{dossier.code}.TT02"
    payment_record_at_desk(actor=people["desk"], reference=reference, method="cash", amount=8000)
    before = rows()
    with pytest.raises(PaymentNotExemptable):
        payment_exempt(actor=people["desk"], reference=reference, amount=0, reason="Hộ nghèo")
    assert rows() == before


def test_the_return_fees_are_asked_when_the_result_is_ready(people, province, settings, tmp_path, monday_morning):
    from motcua.workflow.processing import dossier_approve, dossier_issue_result, dossier_take
    from tests.processing import process_staff

    staff = process_staff(province, settings, tmp_path)
    set_fees(*THREE_MOMENTS)
    code = received_birth_dossier(people).code
    dossier_forward(actor=people["desk"], code=code)
    dossier_take(actor=people["specialist"], code=code)
    dossier_forward(actor=people["specialist"], code=code, assignee=staff["leader"])
    dossier_approve(actor=staff["leader"], code=code, assignee=staff["clerk"])
    dossier = Dossier.objects.get(code=code)
    assert [r[0] for r in asked(dossier)] == ["Phí nộp", "Lệ phí đăng ký"]
    issued = dossier_issue_result(actor=staff["clerk"], code=code)
    assert issued.status == Status.RESULT_READY
    assert asked(dossier)[-1] == ("Phí bản sao", PaymentMoment.RETURN, 8000, PaymentStatus.UNPAID)
    assert len(asked(dossier)) == 3
