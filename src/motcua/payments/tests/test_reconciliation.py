"""Reconciliation against the provider's statement (issue 16, item 4b): a hand-built history with one mismatch
of each kind planted, and exactly those flagged; a file imported twice or with bad lines changes nothing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.db.models import F
from openpyxl import Workbook

from motcua.agencies.models import Agency
from motcua.core.exceptions import PermissionDenied
from motcua.core.models import AuditEntry
from motcua.identity.constants import Role
from motcua.payments.constants import PaymentMethod, PaymentMoment
from motcua.payments.models import PaymentAttempt, Statement, StatementLine
from motcua.payments.reconciliation import (
    StatementAlreadyImported,
    StatementInvalid,
    statement_import,
    statement_mismatches,
    statements_visible_to,
)
from motcua.payments.reconciliation_models import LineResult
from motcua.payments.settle import attempt_failed, payment_request_add, payment_settle, payment_started
from tests.factories import make_staff
from tests.intake import HCM
from tests.processing import received_birth_dossier

MARCH = {"period_start": date(2026, 3, 1), "period_end": date(2026, 3, 31)}
HEADER = "MaThamChieu,MaGiaoDich,SoTien,LoaiTien,ThoiGianThanhToan,MaKetQua"


def at(month: int, day: int, hour: int) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=HCM)


def online(people: dict[str, Any], ref: str, amount: int, *, paid: datetime | None, method: str = "online") -> Any:
    """A received dossier with one fee; an online attempt ``ref`` started, and settled at ``paid`` (or not)."""
    dossier = received_birth_dossier(people)
    request = payment_request_add(dossier=dossier, name="Lệ phí", moment=PaymentMoment.RECEPTION, full_amount=amount)
    if method != PaymentMethod.ONLINE:
        payment_settle(request_id=request.pk, method=method, amount=amount, at=paid, recorded_by=people["desk"])
        return None
    attempt = PaymentAttempt.objects.create(request=request, provider="national", transaction_ref=ref, amount=amount)
    payment_started(request_id=request.pk)
    if paid is not None:
        payment_settle(
            request_id=request.pk,
            method=PaymentMethod.ONLINE,
            amount=amount,
            at=paid,
            provider="national",
            provider_transaction=f"P-{ref}",
            attempt=attempt,
        )
    return attempt


@pytest.fixture
def history(people, monday_morning) -> dict[str, Any]:
    """Commune A, March 2026, provider "national":
    T1 50,000 paid online on 2 March (in the statement: matched);
    T2 30,000 started, its callback lost (the statement says paid: missing here);
    T3 20,000 paid online on 3 March (not in the statement);
    T4 40,000 paid online on 4 March (the statement says 45,000);
    T5 10,000 paid online on 5 March (listed twice: one duplicate);
    T6 15,000 failed here (the statement lists it as failed: nothing to look at);
    T8 25,000 paid online on 2 April (outside the period: not asked of this statement);
    a cash payment of 5,000 (not online: not the provider's);
    and the statement lists T9, 12,000, which nobody here started (missing here)."""
    attempts = {
        "T1": online(people, "T1", 50000, paid=at(3, 2, 10)),
        "T2": online(people, "T2", 30000, paid=None),
        "T3": online(people, "T3", 20000, paid=at(3, 3, 10)),
        "T4": online(people, "T4", 40000, paid=at(3, 4, 10)),
        "T5": online(people, "T5", 10000, paid=at(3, 5, 10)),
        "T6": online(people, "T6", 15000, paid=None),
        "T8": online(people, "T8", 25000, paid=at(4, 2, 10)),
    }
    attempt_failed(attempt_id=attempts["T6"].pk, provider_transaction="P-T6", at=at(3, 6, 10))
    online(people, "", 5000, paid=at(3, 7, 10), method=PaymentMethod.CASH)
    return attempts


STATEMENT = "\n".join(
    [
        HEADER,
        "T1,P-T1,50000,VND,20260302100000,00",
        "T2,P-T2,30000,VND,20260302110000,00",
        "T4,P-T4,45000,VND,20260304100000,00",
        "T5,P-T5,10000,VND,20260305100000,00",
        "T5,P-T5,10000,VND,20260305100000,00",
        "T6,P-T6,15000,VND,20260306100000,24",
        "T9,P-T9,12000,VND,20260308100000,00",
    ]
).encode()


def imported(people: dict[str, Any], content: bytes = STATEMENT, name: str = "sao-ke-03-2026.csv", **kw: Any) -> Any:
    return statement_import(
        actor=kw.pop("actor", people["desk"]),
        agency=kw.pop("agency", None) or Agency.objects.get(code="H99.101"),
        provider="national",
        file_name=name,
        content=content,
        **{**MARCH, **kw},
    )


def results(statement: Statement) -> list[tuple[Any, str, str]]:
    # Lines of no row (paid here, not in the file) first, on every database (PostgreSQL sorts NULL last).
    lines = statement.lines.order_by(F("row").asc(nulls_first=True), "transaction_ref")
    return list(lines.values_list("row", "transaction_ref", "result"))


def test_each_planted_mismatch_is_flagged_and_nothing_else(people, history) -> None:
    statement = imported(people)
    assert results(statement) == [
        (None, "T3", LineResult.MISSING_IN_STATEMENT),  # paid here, not listed
        (2, "T1", LineResult.MATCHED),
        (3, "T2", LineResult.MISSING_HERE),  # the money arrived, the callback was lost
        (4, "T4", LineResult.AMOUNT_DIFFERS),
        (5, "T5", LineResult.MATCHED),
        (6, "T5", LineResult.DUPLICATE),
        (7, "T6", LineResult.NOT_PAID),
        (8, "T9", LineResult.MISSING_HERE),  # nobody here started it
    ]
    counts = Statement.objects.filter(pk=statement.pk).values_list(
        "lines_read", "matched", "missing_here", "missing_in_statement", "amount_differs", "duplicates"
    )
    assert counts.get() == (7, 2, 2, 1, 1, 1)
    assert statement.mismatch_count == 5
    amounts = StatementLine.objects.filter(statement=statement, transaction_ref="T4").values_list(
        "amount", "recorded_amount", "attempt_id"
    )
    assert amounts.get() == (45000, 40000, history["T4"].pk)
    t2 = StatementLine.objects.get(statement=statement, transaction_ref="T2")
    assert (t2.attempt_id, t2.paid_at) == (history["T2"].pk, at(3, 2, 11))
    shown = [(line.result, line.transaction_ref) for line in statement_mismatches(statement)]
    assert shown == [  # the file's order, then what the statement lacks
        (LineResult.MISSING_HERE, "T2"),
        (LineResult.AMOUNT_DIFFERS, "T4"),
        (LineResult.DUPLICATE, "T5"),
        (LineResult.MISSING_HERE, "T9"),
        (LineResult.MISSING_IN_STATEMENT, "T3"),
    ]
    entry = AuditEntry.objects.filter(action="payment.statement_import").get()
    assert (entry.object_id, entry.actor_id) == (str(statement.pk), people["desk"].pk)


def test_the_same_file_twice_is_refused_and_changes_nothing(people, history) -> None:
    imported(people)
    before = (Statement.objects.count(), StatementLine.objects.count())
    with pytest.raises(StatementAlreadyImported) as refused:
        imported(people, name="renamed.csv")
    assert refused.value.code == "statement_already_imported"
    assert str(refused.value.message) == (
        "Tệp này đã được nhập lúc 09/03/2026 09:00 (sao-ke-03-2026.csv): không nhập lại."
    )
    assert (Statement.objects.count(), StatementLine.objects.count()) == before == (1, 8)


def test_a_malformed_file_is_refused_line_by_line_and_nothing_is_stored(people, history) -> None:
    bad = "\n".join(
        [
            HEADER,
            "T1,P-T1,50000,VND,20260302100000,00",
            ",P-X,abc,VND,20260302100000,00",
            "T2,P-T2,30000,VND,02/03/2026,00",
            "T3,P-T3,-5,,20260302100000,",
        ]
    ).encode()
    with pytest.raises(StatementInvalid) as refused:
        imported(people, bad)
    assert refused.value.code == "statement_invalid"
    assert refused.value.details == [
        "Dòng 3: mã tham chiếu giao dịch trống; số tiền “abc” không phải số đồng nguyên.",
        "Dòng 4: thời điểm thanh toán “02/03/2026” không đúng định dạng.",
        "Dòng 5: số tiền “-5” không phải số đồng nguyên; loại tiền trống; trạng thái trống.",
    ]
    with pytest.raises(StatementInvalid) as no_columns:
        imported(people, b"ref,amount\nT1,50000\n")
    assert no_columns.value.details == [
        "Dòng 1: thiếu các cột MaThamChieu, MaGiaoDich, SoTien, LoaiTien, ThoiGianThanhToan, MaKetQua"
        " (cần có: MaThamChieu, MaGiaoDich, SoTien, LoaiTien, ThoiGianThanhToan, MaKetQua)."
    ]
    assert (
        Statement.objects.count(),
        StatementLine.objects.count(),
        AuditEntry.objects.filter(action="payment.statement_import").count(),
    ) == (0, 0, 0)


def test_an_xlsx_statement_reads_the_same(people, history) -> None:
    import io

    book = Workbook()
    sheet = book.active
    for line in STATEMENT.decode().splitlines():
        cells: list[Any] = line.split(",")
        if cells[2].isdigit():
            cells[2] = int(cells[2])  # a number cell, as a spreadsheet keeps amounts; codes stay text
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    statement = imported(people, out.getvalue(), name="sao-ke.xlsx")
    assert [(row, ref, result) for row, ref, result in results(statement)] == [
        (None, "T3", "missing_in_statement"),
        (2, "T1", "matched"),
        (3, "T2", "missing_here"),
        (4, "T4", "amount_differs"),
        (5, "T5", "matched"),
        (6, "T5", "duplicate"),
        (7, "T6", "not_paid"),
        (8, "T9", "missing_here"),
    ]


def test_a_unit_reconciles_only_its_own_payments_and_sees_only_its_statements(people, history, province) -> None:
    with pytest.raises(PermissionDenied):
        imported(people, actor=people["other_desk"])
    assert Statement.objects.count() == 0
    mine = imported(people)
    other = imported(
        people,
        b"\n".join([HEADER.encode(), b"T1,P-T1,50000,VND,20260302100000,00"]),
        name="xa-b.csv",
        actor=people["other_desk"],
        agency=province["commune_b"],
    )
    # Commune B's statement lists commune A's T1: not a payment of B; A's payments are not asked of B.
    assert results(other) == [(2, "T1", LineResult.MISSING_HERE)]
    assert list(statements_visible_to(people["desk"])) == [mine]
    assert list(statements_visible_to(people["other_desk"])) == [other]
    supervisor = make_staff(Role.SUPERVISOR, province["province"], include_subagencies=True)
    assert set(statements_visible_to(supervisor)) == {mine, other}
    assert list(statements_visible_to(people["specialist"])) == []


def test_the_pages_import_a_statement_and_list_its_mismatches(people, history, client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    commune_a = Agency.objects.get(code="H99.101")
    client.force_login(people["desk"])
    form = {"agency": commune_a.pk, "provider": "national", "period_start": "2026-03-01", "period_end": "2026-03-31"}
    bad = SimpleUploadedFile("sai.csv", f"{HEADER}\nT1,P-T1,abc,VND,20260302100000,00\n".encode())
    refused = client.post(reverse("backoffice:payment-statements"), {**form, "file": bad})
    assert refused.status_code == 400
    assert "Dòng 2: số tiền “abc” không phải số đồng nguyên." in refused.content.decode()
    assert Statement.objects.count() == 0
    upload = SimpleUploadedFile("sao-ke.csv", STATEMENT)
    response = client.post(reverse("backoffice:payment-statements"), {**form, "file": upload})
    statement = Statement.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "backoffice:payment-statement", args=[statement.pk]
    )
    page = client.get(response["Location"]).content.decode()
    for ref in ("T2", "T3", "T4", "T9"):
        assert f"<td>{ref}</td>" in page
    assert "<td>T1</td>" not in page and "<td>T6</td>" not in page  # matched, and a failure: nothing to look at
    assert 'id="count-missing-here">2<' in page and 'id="count-duplicates">1<' in page
    again = client.post(
        reverse("backoffice:payment-statements"), {**form, "file": SimpleUploadedFile("b.csv", STATEMENT)}
    )
    assert again.status_code == 400 and "đã được nhập lúc" in again.content.decode()
    assert Statement.objects.count() == 1
    client.force_login(people["other_desk"])
    assert client.get(reverse("backoffice:payment-statement", args=[statement.pk])).status_code == 404
    assert "sao-ke.csv" not in client.get(reverse("backoffice:payment-statements")).content.decode()
