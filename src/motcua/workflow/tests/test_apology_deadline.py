"""Nghị định 118/2025/NĐ-CP: an apology letter is sent at least one working day before the due time."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import translation

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.workflow.processing import ApologyTooLate, apology_deadline, dossier_apologize
from tests.factories import row_counts
from tests.intake import HCM
from tests.processing import process_staff, received_birth_dossier


@pytest.fixture
def staff(province, people, settings, tmp_path, monday_morning):
    return process_staff(province, settings, tmp_path)


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, second, tzinfo=HCM)


def state(dossier: Dossier) -> tuple:
    fresh = Dossier.objects.get(pk=dossier.pk)
    return fresh.due_at, fresh.original_due_at, DossierEvent.objects.count(), row_counts()


def test_the_deadline_is_one_working_day_before_the_due_time(people, staff, monday_morning) -> None:
    dossier = received_birth_dossier(people)  # Monday 09:00, 1 working day: due Tuesday 09:00

    assert dossier.due_at == at(10, 9)
    assert apology_deadline(dossier) == at(9, 9)
    # Over a weekend: due Monday 16 at 10:00, so Friday 13 at 10:00 at the latest.
    assert apology_deadline(dossier, at(16, 10)) == at(13, 10)


def test_an_apology_exactly_one_working_day_before_is_accepted(people, staff, monday_morning) -> None:
    dossier = received_birth_dossier(people)
    monday_morning.move_to(at(9, 9))

    dossier = dossier_apologize(actor=staff["leader"], code=dossier.code, reason="Chờ xác minh", new_due_at=at(12, 16))

    assert (dossier.original_due_at, dossier.due_at) == (at(10, 9), at(12, 16))


def test_an_apology_one_second_later_is_refused_naming_the_rule(people, staff, monday_morning) -> None:
    dossier = received_birth_dossier(people)
    monday_morning.move_to(at(9, 9, 0, 1))
    before = state(dossier)

    with translation.override("vi"), pytest.raises(ApologyTooLate) as caught:
        dossier_apologize(actor=staff["leader"], code=dossier.code, reason="Chờ xác minh", new_due_at=at(12, 16))

    assert (caught.value.code, caught.value.status) == ("apology_too_late", 409)
    with translation.override("vi"):
        assert str(caught.value.message) == (
            "Phiếu xin lỗi phải được gửi chậm nhất 01 ngày làm việc trước thời hạn trả kết quả (Nghị định "
            "118/2025/NĐ-CP): hồ sơ hẹn trả lúc 09:00 10/03/2026 phải xin lỗi chậm nhất lúc 09:00 09/03/2026."
        )
    assert state(dossier) == before


def test_an_apology_after_the_due_time_is_refused(people, staff, monday_morning) -> None:
    dossier = received_birth_dossier(people)
    monday_morning.move_to(at(10, 9) + timedelta(hours=2))
    before = state(dossier)

    with pytest.raises(ApologyTooLate):
        dossier_apologize(actor=staff["leader"], code=dossier.code, reason="Chờ xác minh", new_due_at=at(12, 16))

    assert state(dossier) == before


def test_over_a_weekend_friday_is_the_last_day(people, staff, monday_morning) -> None:
    monday_morning.move_to(at(13, 10))  # Friday 10:00: due Monday 16 at 10:00
    dossier = received_birth_dossier(people)
    assert dossier.due_at == at(16, 10)

    monday_morning.move_to(at(14, 9))  # Saturday: no working time is left before the last day
    before = state(dossier)
    with pytest.raises(ApologyTooLate):
        dossier_apologize(actor=staff["leader"], code=dossier.code, reason="Chờ xác minh", new_due_at=at(18, 16))
    assert state(dossier) == before

    monday_morning.move_to(at(13, 10))
    dossier = dossier_apologize(actor=staff["leader"], code=dossier.code, reason="Chờ xác minh", new_due_at=at(18, 16))
    assert dossier.due_at == at(18, 16)
