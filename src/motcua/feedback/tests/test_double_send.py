"""The same form sent at the same instant from two connections records one feedback (PostgreSQL)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection, connections

from motcua.feedback.constants import FeedbackChannel, FeedbackSubject
from motcua.feedback.models import Feedback
from motcua.feedback.services import FeedbackInput, feedback_submit


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_tap_racing_on_two_connections_records_one_feedback() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("two connections racing on the unique token are exercised on PostgreSQL")
    from tests.factories import make_province_tree

    agency = make_province_tree()["commune_a"]
    start = Barrier(6)

    def send(_: int) -> str:
        try:
            start.wait()
            data = FeedbackInput(
                subject=FeedbackSubject.OTHER,
                title="Đèn đường hỏng",
                content="Đèn đường thôn Trung hỏng.",
                sender_name="Nguyễn Thị Lan",
                sender_phone="0912345678",
                agency=agency,
            )
            return feedback_submit(
                actor=None, channel=FeedbackChannel.PORTAL, data=data, idempotency_key="tok-race"
            ).code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=6) as pool:
        codes = set(pool.map(send, range(6)))
    assert codes == {Feedback.objects.get().code}
