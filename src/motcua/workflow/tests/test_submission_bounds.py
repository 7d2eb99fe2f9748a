"""Every channel counts the files of one submission (``dossiers.files.MAX_DOCUMENTS``), before anything
is checked or stored; and the idempotency rules are the service's, whoever calls it."""

from __future__ import annotations

import pytest

from motcua.core.exceptions import ValidationFailed
from motcua.dossiers.files import MAX_DOCUMENTS
from motcua.workflow.services import (
    IdempotencyKeyReused,
    IdempotencyKeyTooLong,
    dossier_receive_at_desk,
    dossier_submit_online,
    dossier_submit_online_once,
)
from tests.factories import row_counts
from tests.intake import birth_application, birth_documents, pdf

pytestmark = pytest.mark.usefixtures("monday_morning")


def too_many():
    docs = birth_documents()
    return birth_application(uploads=[pdf(f"{i}.pdf", docs[i % 2].pk) for i in range(MAX_DOCUMENTS + 1)])


def test_online_and_desk_refuse_more_than_fifty_files(people) -> None:
    before = row_counts()
    with pytest.raises(ValidationFailed) as online:
        dossier_submit_online(actor=people["citizen"], application=too_many())
    with pytest.raises(ValidationFailed) as desk:
        dossier_receive_at_desk(
            officer=people["desk"],
            applicant=people["citizen"],
            desk_code="H99.101.MC",
            application=too_many(),
            originals_seen=[],
        )
    assert (online.value.code, desk.value.code, MAX_DOCUMENTS) == ("too_many_documents", "too_many_documents", 50)
    assert row_counts() == before


def test_the_service_answers_a_repeated_key_whoever_calls_it(people) -> None:
    citizen = people["citizen"]
    first = dossier_submit_online_once(actor=citizen, application=birth_application(), idempotency_key="p-1")
    again = dossier_submit_online_once(actor=citizen, application=birth_application(), idempotency_key="p-1")
    assert (first.created, again.created, again.dossier.pk) == (True, False, first.dossier.pk)
    before = row_counts()
    other = birth_application(form_data={"ho_ten_tre": "Trần Thị Bình", "ngay_sinh": "2026-03-01"})
    with pytest.raises(IdempotencyKeyReused) as reused:
        dossier_submit_online(actor=citizen, application=other, idempotency_key="p-1")
    with pytest.raises(IdempotencyKeyTooLong):
        dossier_submit_online(actor=citizen, application=birth_application(), idempotency_key="k" * 81)
    assert (reused.value.status, reused.value.code) == (409, "idempotency_key_reused")
    assert row_counts() == before
