from datetime import datetime, timedelta

import pytest
from django.core.files.storage import default_storage

from motcua.core.exceptions import PermissionDenied
from motcua.dossiers.constants import NationalStatus, Status
from motcua.dossiers.exceptions import FileRejected, FormInvalid, NotOffered
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.workflow.services import (
    IncompleteDossier,
    dossier_receive,
    dossier_receive_at_desk,
    dossier_refuse,
    dossier_request_supplement,
    dossier_submit_online,
    dossier_submit_supplement,
    dossier_withdraw,
)
from motcua.workflow.transitions import ActorNotAllowed, NoteRequired, SupplementOnlyOnce, TransitionNotAllowed
from tests.factories import row_counts
from tests.intake import HCM, PDF, birth_application, birth_documents, pdf


def snapshot(dossier: Dossier) -> tuple:
    dossier.refresh_from_db()
    return (
        dossier.status,
        dossier.national_status,
        dossier.due_at,
        dossier.pauses,
        dossier.paused_at,
        list(dossier.events.values_list("action", flat=True)),
        dossier.documents.count(),
    )


def stored_files() -> set[str]:
    if not default_storage.exists("dossiers"):
        return set()
    folders, _files = default_storage.listdir("dossiers")
    return {f"{folder}/{name}" for folder in folders for name in default_storage.listdir(f"dossiers/{folder}")[1]}


def test_online_submission_gets_a_code_and_waits_for_the_desk(people, monday_morning) -> None:
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())

    assert dossier.code == "H99.101-260309-0001"
    assert (dossier.status, dossier.national_status, dossier.channel) == (
        Status.SUBMITTED,
        NationalStatus.NEW,
        "online",
    )
    assert (dossier.received_at, dossier.due_at) == (None, None)
    assert dossier.applicant_id_number == "042190001234"
    documents = list(dossier.documents.all())
    assert [(d.name, d.content_type, d.size) for d in documents] == [
        ("Tờ khai đăng ký khai sinh", "application/pdf", len(PDF)),
        ("Giấy chứng sinh", "application/pdf", len(PDF)),
    ]
    assert documents[0].file.name.startswith("dossiers/") and "khai" not in documents[0].file.name
    assert len(stored_files()) == 2


def test_codes_are_consecutive_per_agency_and_day(people, monday_morning) -> None:
    codes = [dossier_submit_online(actor=people["citizen"], application=birth_application()).code for _ in range(3)]
    assert codes == ["H99.101-260309-0001", "H99.101-260309-0002", "H99.101-260309-0003"]
    monday_morning.shift(timedelta(days=1))
    assert dossier_submit_online(actor=people["citizen"], application=birth_application()).code == (
        "H99.101-260310-0001"
    )


def test_receive_starts_the_clock_in_working_time(people, monday_morning) -> None:
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    dossier = dossier_receive(actor=people["desk"], code=dossier.code)

    assert (dossier.status, dossier.national_status) == (Status.RECEIVED, NationalStatus.ACCEPTED)
    # 1 working day from Monday 09:00 = Tuesday 09:00
    assert dossier.due_at == datetime(2026, 3, 10, 9, 0, tzinfo=HCM)
    assert list(dossier.events.values_list("action", "from_status", "to_status", "national_status")) == [
        ("submit", "", "submitted", 1),
        ("receive", "submitted", "received", 2),
    ]


def test_supplement_pauses_the_clock_once_and_only_once(people, monday_morning) -> None:
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    dossier_receive(actor=people["desk"], code=dossier.code)
    monday_morning.shift(timedelta(hours=1))  # 10:00
    dossier = dossier_request_supplement(
        actor=people["desk"], code=dossier.code, missing=["Giấy chứng sinh bản chính"], note=""
    )
    assert (dossier.status, dossier.national_status) == (Status.SUPPLEMENT_REQUESTED, NationalStatus.SUPPLEMENT)

    monday_morning.shift(timedelta(days=1))  # Tuesday 10:00: 8 working hours paused
    dossier = dossier_submit_supplement(actor=people["citizen"], code=dossier.code, uploads=[pdf("bo-sung.pdf")])
    assert (dossier.status, dossier.national_status) == (Status.RECEIVED, NationalStatus.ACCEPTED)
    assert dossier.due_at == datetime(2026, 3, 11, 9, 0, tzinfo=HCM)  # one working day later than before
    assert dossier.documents.filter(for_supplement=True).count() == 1

    before = snapshot(dossier)
    with pytest.raises(SupplementOnlyOnce):
        dossier_request_supplement(actor=people["desk"], code=dossier.code, missing=["Khác"], note="lần 2")
    assert snapshot(dossier) == before


def test_refused_dossier_cannot_be_received(people, monday_morning) -> None:
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    with pytest.raises(NoteRequired):
        dossier_refuse(actor=people["desk"], code=dossier.code, reason=" ")
    dossier = dossier_refuse(actor=people["desk"], code=dossier.code, reason="Không thuộc thẩm quyền")
    assert dossier.national_status == NationalStatus.NOT_ACCEPTED

    before = snapshot(dossier)
    with pytest.raises(TransitionNotAllowed) as caught:
        dossier_receive(actor=people["desk"], code=dossier.code)
    assert caught.value.code == "transition_not_allowed"
    assert snapshot(dossier) == before


def test_only_the_receiving_desk_receives(people, monday_morning) -> None:
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    before = snapshot(dossier)
    for outsider in (people["other_desk"], people["specialist"], people["citizen"]):
        with pytest.raises(ActorNotAllowed):
            dossier_receive(actor=outsider, code=dossier.code)
    assert snapshot(dossier) == before


def test_applicant_withdraws_with_a_reason(people, monday_morning) -> None:
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    dossier_receive(actor=people["desk"], code=dossier.code)
    dossier = dossier_withdraw(actor=people["citizen"], code=dossier.code, reason="Nộp nhầm thủ tục")
    assert (dossier.status, dossier.national_status, dossier.closed_at) == (
        Status.WITHDRAWN,
        NationalStatus.WITHDRAWN,
        datetime(2026, 3, 9, 9, 0, tzinfo=HCM),
    )
    assert dossier.events.last().note == "Nộp nhầm thủ tục"


@pytest.mark.parametrize(
    ("overrides", "error", "code"),
    [
        ({"form_data": {"ho_ten_tre": "An", "ngay_sinh": "01/03/2026"}}, FormInvalid, "form_invalid"),
        ({"form_data": {"ngay_sinh": "2026-03-01"}}, FormInvalid, "form_invalid"),
        ({"uploads": [pdf(data=b"GIF89a" + b"x" * 50)]}, FileRejected, "file_type"),
        ({"uploads": [pdf(data=b"")]}, FileRejected, "file_empty"),
        ({"uploads": [pdf(data=b"%PDF-" + b"x" * (10 * 1024 * 1024))]}, FileRejected, "file_too_large"),
        ({"agency_code": "H99.01"}, NotOffered, "procedure_not_offered"),
        ({"procedure_code": "2.000815"}, NotOffered, "procedure_not_offered"),
    ],
)
def test_bad_submissions_leave_no_rows_and_no_files(people, monday_morning, overrides, error, code) -> None:
    before = row_counts(), DossierDocument.objects.count(), Dossier.objects.count()
    with pytest.raises(error) as caught:
        dossier_submit_online(actor=people["citizen"], application=birth_application(**overrides))
    assert caught.value.code == code
    assert (row_counts(), DossierDocument.objects.count(), Dossier.objects.count()) == before
    assert stored_files() == set()


def test_invalid_form_names_the_fields_in_vietnamese(people, monday_morning) -> None:
    with pytest.raises(FormInvalid) as caught:
        dossier_submit_online(
            actor=people["citizen"], application=birth_application(form_data={"ngay_sinh": "1/3/2026"})
        )
    assert caught.value.details == {
        "ho_ten_tre": ["Trường này là bắt buộc."],
        "ngay_sinh": ["Nhập ngày hợp lệ (YYYY-MM-DD)."],
    }


def test_desk_receives_a_walk_in_dossier_with_originals_seen(people, monday_morning) -> None:
    docs = birth_documents()
    application = birth_application(uploads=[pdf(required_document_id=docs[0].pk)])
    dossier = dossier_receive_at_desk(
        officer=people["desk"],
        applicant=people["citizen"],
        desk_code="H99.101.MC",
        application=application,
        originals_seen=[docs[1].pk],
    )
    assert (dossier.code, dossier.channel, dossier.status) == ("H99.101-260309-0001", "desk", Status.RECEIVED)
    assert [(d.name, d.original_seen, bool(d.file)) for d in dossier.documents.order_by("id")] == [
        ("Tờ khai đăng ký khai sinh", False, True),
        ("Giấy chứng sinh", True, False),
    ]


def test_any_desk_of_the_province_receives_and_routes_to_the_competent_agency(people, monday_morning) -> None:
    dossier = dossier_receive_at_desk(
        officer=people["other_desk"],
        applicant=people["citizen"],
        desk_code="H99.102.MC",
        application=birth_application(agency_code="H99.101"),
        originals_seen=[],
    )
    assert (dossier.code, dossier.receiving_agency.code, dossier.competent_agency.code) == (
        "H99.102-260309-0001",
        "H99.102",
        "H99.101",
    )


def test_incomplete_walk_in_is_not_received(people, monday_morning) -> None:
    before = row_counts(), Dossier.objects.count()
    with pytest.raises(IncompleteDossier) as caught:
        dossier_receive_at_desk(
            officer=people["desk"],
            applicant=people["citizen"],
            desk_code="H99.101.MC",
            application=birth_application(uploads=[]),
            originals_seen=[],
        )
    assert caught.value.details == {"documents": ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]}
    assert (row_counts(), Dossier.objects.count()) == before


def test_desk_officer_cannot_use_another_agencys_desk(people, monday_morning) -> None:
    with pytest.raises(PermissionDenied):
        dossier_receive_at_desk(
            officer=people["desk"],
            applicant=people["citizen"],
            desk_code="H99.102.MC",
            application=birth_application(),
            originals_seen=[],
        )
    assert Dossier.objects.count() == 0
