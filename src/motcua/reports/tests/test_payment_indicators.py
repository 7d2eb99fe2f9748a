"""The payment indicators on a history built by hand (issue 16, item 5): the share of fee-bearing dossiers paid
online, the share of procedures with an online payment, the amounts collected per channel, and the scorecard's
online payment group (Quyết định 766/QĐ-TTg)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from motcua.payments.constants import PaymentMethod, PaymentMoment
from motcua.payments.settle import payment_refund, payment_request_add, payment_settle
from motcua.reports.constants import IndicatorKey as K
from motcua.reports.indicators import Scope, indicators_for
from motcua.reports.scorecard import scorecard_for
from motcua.workflow.services import Application, dossier_receive_at_desk
from tests.intake import HCM
from tests.processing import received_birth_dossier

D = Decimal
MARCH = {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}
APRIL = {"start": date(2026, 4, 1), "end": date(2026, 4, 30)}
KEYS = (
    K.ONLINE_PAID_SHARE,
    K.ONLINE_PAYMENT_PROCEDURES_SHARE,
    K.COLLECTED_ONLINE,
    K.COLLECTED_CASH,
    K.COLLECTED_TRANSFER,
)


def fee(dossier: Any, amount: int, method: str | None, *, full: int | None = None, at: datetime | None = None) -> Any:
    request = payment_request_add(
        dossier=dossier, name="Lệ phí", moment=PaymentMoment.RECEPTION, full_amount=full or amount, amount=amount
    )
    if method is not None:
        payment_settle(request_id=request.pk, method=method, amount=amount, at=at)
    return request


@pytest.fixture
def history(people, monday_morning) -> None:
    """Received at commune A on Monday 9 March 2026 (birth registration unless said):
    A 50,000 paid online; B 20,000 online and 10,000 cash; C 30,000 by bank transfer;
    D 8,000 fully exempted (nothing paid: not fee-bearing); E 40,000 not paid yet (not fee-bearing);
    F a certification (2.000815) received at the desk, 2,000 in cash;
    G 60,000 paid online then refunded (not fee-bearing, not collected);
    I 7,000 paid online on 1 April (fee-bearing in March, collected in April)."""
    a, b, c, d, e, g, i = (received_birth_dossier(people) for _ in range(7))
    fee(a, 50000, PaymentMethod.ONLINE)
    fee(b, 20000, PaymentMethod.ONLINE)
    fee(b, 10000, PaymentMethod.CASH)
    fee(c, 30000, PaymentMethod.TRANSFER)
    fee(d, 0, PaymentMethod.EXEMPT, full=8000)
    fee(e, 40000, None)
    f = dossier_receive_at_desk(
        officer=people["desk"],
        applicant=people["citizen"],
        desk_code="H99.101.MC",
        application=Application(procedure_code="2.000815", agency_code="H99.101"),
        originals_seen=[],
    )
    fee(f, 2000, PaymentMethod.CASH)
    refunded = fee(g, 60000, PaymentMethod.ONLINE)
    payment_refund(request_id=refunded.pk, reason="Nộp nhầm", actor=people["desk"])
    fee(i, 7000, PaymentMethod.ONLINE, at=datetime(2026, 4, 1, 10, tzinfo=HCM))


def figures(agency: Any, period: dict[str, date]) -> dict[str, Any]:
    report = indicators_for(Scope(agency=agency, **period))
    return {key: (report[key].value, report[key].numerator, report[key].denominator, report[key].unit) for key in KEYS}


def test_every_payment_indicator_of_march(history, province) -> None:
    assert figures(province["commune_a"], MARCH) == {
        K.ONLINE_PAID_SHARE: (D("40.00"), 2, 5, "percent"),  # A and I, of A, B, C, F, I
        K.ONLINE_PAYMENT_PROCEDURES_SHARE: (D("50.00"), 1, 2, "percent"),  # birth, not certification
        K.COLLECTED_ONLINE: (D(70000), None, None, "vnd"),  # A 50,000 + B 20,000
        K.COLLECTED_CASH: (D(12000), None, None, "vnd"),  # B 10,000 + F 2,000
        K.COLLECTED_TRANSFER: (D(30000), None, None, "vnd"),  # C
    }
    # The province rolls its communes up; commune B has no fee-bearing dossier: not measured, never 0.
    assert figures(province["province"], MARCH) == figures(province["commune_a"], MARCH)
    assert figures(province["commune_b"], MARCH) == {
        K.ONLINE_PAID_SHARE: (None, 0, 0, "percent"),
        K.ONLINE_PAYMENT_PROCEDURES_SHARE: (None, 0, 0, "percent"),
        K.COLLECTED_ONLINE: (D(0), None, None, "vnd"),
        K.COLLECTED_CASH: (D(0), None, None, "vnd"),
        K.COLLECTED_TRANSFER: (D(0), None, None, "vnd"),
    }
    report = indicators_for(Scope(agency=province["commune_a"], **MARCH))
    share = report[K.ONLINE_PAID_SHARE]
    assert (share.target, share.comparator, share.met) == (D(50), "gte", False)  # the plans: ≥ 50 %


def test_a_procedure_filter_narrows_the_payment_figures(history, province, catalog) -> None:
    from motcua.catalog.models import Procedure

    certification = Procedure.objects.get(code="2.000815")
    report = indicators_for(Scope(agency=province["commune_a"], procedure_id=certification.pk, **MARCH))
    assert (report[K.ONLINE_PAID_SHARE].value, report[K.ONLINE_PAID_SHARE].numerator) == (D("0.00"), 0)
    assert report[K.ONLINE_PAID_SHARE].denominator == 1
    assert (report[K.COLLECTED_CASH].value, report[K.COLLECTED_ONLINE].value) == (D(2000), D(0))


def test_april_collects_what_was_paid_in_april_and_measures_no_share(history, province) -> None:
    assert figures(province["commune_a"], APRIL) == {
        K.ONLINE_PAID_SHARE: (None, 0, 0, "percent"),  # no dossier received in April
        K.ONLINE_PAYMENT_PROCEDURES_SHARE: (None, 0, 0, "percent"),
        K.COLLECTED_ONLINE: (D(7000), None, None, "vnd"),  # I, paid on 1 April
        K.COLLECTED_CASH: (D(0), None, None, "vnd"),
        K.COLLECTED_TRANSFER: (D(0), None, None, "vnd"),
    }
    payment = next(
        g for g in scorecard_for(indicators_for(Scope(agency=province["commune_a"], **APRIL))) if g.code == "payment"
    )
    assert (payment.score, payment.measured, payment.unmeasured_points) == (None, False, D(10))


def test_the_online_payment_group_of_the_scorecard(history, province) -> None:
    groups = {g.code: g for g in scorecard_for(indicators_for(Scope(agency=province["commune_a"], **MARCH)))}
    payment = groups["payment"]
    assert [(i.code, i.points, i.measured, i.value, i.score) for i in payment.items] == [
        ("payment_procedures", D(5), True, D("50.00"), D("2.50")),  # 50 % of 5 points
        ("payment_dossiers", D(5), True, D("40.00"), D("5.00")),  # 40 % ≥ 30 %: full points
    ]
    assert (payment.score, payment.measured_points, payment.unmeasured_points) == (D("7.50"), D(10), D(0))


def test_the_dashboard_shows_the_payment_figures(history, province, client) -> None:
    import html
    import re

    from django.urls import reverse

    from motcua.identity.constants import Role
    from tests.factories import make_staff

    client.force_login(make_staff(Role.SUPERVISOR, province["province"], include_subagencies=True))
    response = client.get(reverse("backoffice:dashboard"), {"agency": "H99", "from": "2026-03-01", "to": "2026-03-31"})
    assert response.status_code == 200
    page = response.content.decode()

    def row(key: str) -> str:
        found = re.search(rf'<tr id="row-{key}">(.*?)</tr>', page, flags=re.S)
        assert found is not None
        return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", found.group(1)))).strip()

    assert row("online_paid_share") == (
        "Tỷ lệ hồ sơ có thu phí, lệ phí được thanh toán trực tuyến 40 % 2 / 5 ≥ 50 % ✗ Không đạt"
    )
    assert row("collected_online") == "Phí, lệ phí thu qua thanh toán trực tuyến 70000 đồng — Không có mục tiêu"
    assert row("collected_cash") == ("Phí, lệ phí thu bằng tiền mặt tại bộ phận một cửa 12000 đồng — Không có mục tiêu")
    assert "Thanh toán trực tuyến 7,50 / 10" in re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))
