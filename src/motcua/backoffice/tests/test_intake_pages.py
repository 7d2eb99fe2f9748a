"""The desk officer's pages: intake queue, dossier page and its actions, walk-in reception."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.core.models import AuditEntry
from motcua.dossiers.constants import NationalStatus, Status
from motcua.dossiers.models import Dossier, DossierDocument, DossierEvent, StagedUpload
from motcua.identity.models import User
from motcua.workflow.services import dossier_request_supplement, dossier_submit_online, dossier_submit_supplement
from tests.factories import row_counts
from tests.intake import HCM, PDF, birth_application, birth_documents, pdf

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def submitted(people: dict[str, Any], **overrides: Any) -> Dossier:
    return dossier_submit_online(actor=people["citizen"], application=birth_application(**overrides))


def snapshot(dossier: Dossier) -> tuple[Any, ...]:
    dossier.refresh_from_db()
    return (
        dossier.status,
        dossier.national_status,
        dossier.due_at,
        dossier.paused_at,
        list(dossier.events.values_list("action", flat=True)),
        dossier.documents.count(),
        row_counts(),
        AuditEntry.objects.count(),
    )


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def counts_but_staged() -> dict[str, int]:
    """Row counts apart from the scans a page with errors keeps for its next try (dossiers.staging)."""
    return {label: n for label, n in row_counts().items() if label != StagedUpload._meta.label}


def dossier_media() -> list[Path]:
    return [p for p in media_files() if "staged" not in p.relative_to(settings.MEDIA_ROOT).parts]


def dossier_rows() -> tuple[int, int, int]:
    return Dossier.objects.count(), DossierDocument.objects.count(), DossierEvent.objects.count()


# --- intake queue -----------------------------------------------------------------------------------


def test_queue_lists_submissions_of_the_officers_desks_only(client, people, monday_morning) -> None:
    first = submitted(people)
    monday_morning.shift(60)
    second = submitted(people)
    elsewhere = submitted(people, agency_code="H99.102")

    client.force_login(people["desk"])
    response = client.get(reverse("backoffice:intake-queue"))
    assert response.status_code == 200
    # Issue 12: the desk that handles the dossiers sees the numbers in full (the view is audited).
    assert [(r.dossier.code, r.applicant_id) for r in response.context["rows"]] == [
        (first.code, "042190001234"),
        (second.code, "042190001234"),
    ]

    client.force_login(people["other_desk"])
    rows = client.get(reverse("backoffice:intake-queue")).context["rows"]
    assert [r.dossier.code for r in rows] == [elsewhere.code]


def test_queue_leaves_received_dossiers_out(client, people, monday_morning) -> None:
    dossier = submitted(people)
    client.force_login(people["desk"])
    client.post(reverse("backoffice:dossier-receive", kwargs={"code": dossier.code}))
    assert list(client.get(reverse("backoffice:intake-queue")).context["rows"]) == []


@pytest.mark.parametrize("count", [1, 30])
def test_queue_runs_a_fixed_number_of_queries(count, client, people, monday_morning, django_assert_num_queries) -> None:
    for _ in range(count):
        submitted(people)
    client.force_login(people["desk"])
    # session, user, the second factor's device, role grants (read once per request, then cached on the
    # user), count, page, the agencies whose numbers are shown in full, the audit entry of that view
    with django_assert_num_queries(8):
        response = client.get(reverse("backoffice:intake-queue"))
    assert len(response.context["rows"]) == min(count, 25)
    assert response.context["page"].paginator.count == count


# --- the dossier page and its actions ---------------------------------------------------------------


def test_dossier_page_shows_personal_data_to_the_desk_and_offers_the_allowed_actions(
    client, people, monday_morning
) -> None:
    dossier = submitted(people)
    client.force_login(people["desk"])
    response = client.get(reverse("backoffice:dossier", kwargs={"code": dossier.code}))

    assert response.status_code == 200
    # Issue 12: full for the desk that handles it (masking for others: test_personal_data.py).
    assert (response.context["applicant_id"], response.context["applicant_phone"]) == ("042190001234", "0912345678")
    assert response.context["form_rows"] == [("Họ tên trẻ", "Nguyễn Văn An"), ("Ngày sinh", "2026-03-01")]
    assert list(response.context["action_forms"]) == ["receive", "refuse", "request_supplement", "withdraw"]
    assert response.context["slips"] == []

    client.force_login(people["other_desk"])
    assert client.get(reverse("backoffice:dossier", kwargs={"code": dossier.code})).status_code == 404


def test_receive_through_the_page_starts_the_clock_and_offers_the_slip(client, people, monday_morning) -> None:
    dossier = submitted(people)
    client.force_login(people["desk"])
    url = reverse("backoffice:dossier", kwargs={"code": dossier.code})

    response = client.post(reverse("backoffice:dossier-receive", kwargs={"code": dossier.code}))

    assert (response.status_code, response["Location"]) == (302, url)
    dossier.refresh_from_db()
    assert (dossier.status, dossier.national_status) == (Status.RECEIVED, NationalStatus.ACCEPTED)
    assert dossier.due_at == datetime(2026, 3, 10, 9, 0, tzinfo=HCM)
    page = client.get(url)
    assert list(page.context["action_forms"]) == ["request_supplement", "withdraw"]
    assert f'href="{url}phieu/receipt.pdf"' in page.content.decode()


def test_refuse_without_reason_is_400_and_changes_nothing(client, people, monday_morning) -> None:
    dossier = submitted(people)
    client.force_login(people["desk"])
    before = snapshot(dossier)

    response = client.post(reverse("backoffice:dossier-refuse", kwargs={"code": dossier.code}), {"reason": "  "})

    assert response.status_code == 400
    assert response.context["action_forms"]["refuse"].errors == {"reason": ["Trường này là bắt buộc."]}
    assert snapshot(dossier) == before


def test_refuse_with_reason_refuses_and_offers_the_refusal_slip(client, people, monday_morning) -> None:
    dossier = submitted(people)
    client.force_login(people["desk"])
    response = client.post(
        reverse("backoffice:dossier-refuse", kwargs={"code": dossier.code}), {"reason": "Không thuộc thẩm quyền"}
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.status, dossier.events.last().note) == (Status.REFUSED, "Không thuộc thẩm quyền")
    page = client.get(response["Location"])
    assert page.context["action_forms"] == {}
    assert [kind for kind, _label in page.context["slips"]] == ["refusal"]


def test_supplement_request_through_the_page_takes_one_item_per_line(client, people, monday_morning) -> None:
    dossier = submitted(people)
    client.force_login(people["desk"])
    response = client.post(
        reverse("backoffice:dossier-request-supplement", kwargs={"code": dossier.code}),
        {"missing": "Giấy chứng sinh bản chính\n\n  Bản sao CCCD của mẹ  \n", "note": ""},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    event = dossier.events.last()
    assert (dossier.status, event.payload) == (
        Status.SUPPLEMENT_REQUESTED,
        {"missing": ["Giấy chứng sinh bản chính", "Bản sao CCCD của mẹ"]},
    )


def test_second_supplement_request_is_409_with_the_only_once_message(client, people, monday_morning) -> None:
    dossier = submitted(people)
    dossier_request_supplement(actor=people["desk"], code=dossier.code, missing=["Giấy chứng sinh"], note="")
    dossier_submit_supplement(actor=people["citizen"], code=dossier.code, uploads=[pdf("gcs.pdf")])
    client.force_login(people["desk"])
    before = snapshot(dossier)
    files = media_files()

    response = client.post(
        reverse("backoffice:dossier-request-supplement", kwargs={"code": dossier.code}),
        {"missing": "Tờ khai", "note": ""},
        **EN,
    )

    assert response.status_code == 409
    assert response.context["error"] == (
        "A supplement may be requested only once for a dossier (Decree 118/2025/NĐ-CP)."
    )
    assert "only once" in response.content.decode()
    assert snapshot(dossier) == before
    assert media_files() == files


def test_withdraw_on_written_request(client, people, monday_morning) -> None:
    dossier = submitted(people)
    client.force_login(people["desk"])
    url = reverse("backoffice:dossier-withdraw", kwargs={"code": dossier.code})
    assert client.get(url).status_code == 405
    response = client.post(url, {"reason": "Công dân yêu cầu rút hồ sơ"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.status, dossier.national_status) == (Status.WITHDRAWN, NationalStatus.WITHDRAWN)


def test_document_download_is_audited_once(client, people, monday_morning) -> None:
    dossier = submitted(people)
    document = dossier.documents.first()
    url = reverse("backoffice:dossier-document", kwargs={"code": dossier.code, "document_id": document.pk})
    client.force_login(people["other_desk"])
    assert client.get(url).status_code == 404
    assert AuditEntry.objects.filter(action="dossier_document_read").count() == 0

    client.force_login(people["desk"])
    response = client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="to-khai.pdf"' in response["Content-Disposition"]
    entries = list(AuditEntry.objects.filter(action="dossier_document_read"))
    assert [(e.actor, e.object_type, e.object_id, e.data["dossier"]) for e in entries] == [
        (people["desk"], "dossiers.DossierDocument", str(document.pk), dossier.code)
    ]


# --- walk-in reception ------------------------------------------------------------------------------


def test_walk_in_finds_the_applicant_or_opens_an_account(client, people) -> None:
    client.force_login(people["desk"])
    found = client.get(reverse("backoffice:walk-in"), {"q": "0912345678"})
    assert [p.pk for p in found.context["found"]] == [people["citizen"].pk]

    response = client.post(
        reverse("backoffice:walk-in"),
        {"kind": "citizen", "full_name": "Phạm Thị Hoa", "personal_id": "022196002222", "phone": "0909876543"},
    )
    assert response.status_code == 200
    created = User.objects.get(username="022196002222")
    assert created.must_change_password
    assert created.check_password(response.context["password"])
    assert reverse("backoffice:walk-in-dossier", kwargs={"applicant_id": created.pk}) in response.content.decode()


def test_walk_in_account_with_a_bad_id_is_400_and_creates_nothing(client, people) -> None:
    client.force_login(people["desk"])
    before = row_counts()
    response = client.post(
        reverse("backoffice:walk-in"),
        {"kind": "citizen", "full_name": "Phạm Thị Hoa", "personal_id": "12345", "phone": "0909876543"},
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["personal_id"]
    assert row_counts() == before


def walk_in_url(applicant: User) -> str:
    url = reverse("backoffice:walk-in-dossier", kwargs={"applicant_id": applicant.pk})
    return f"{url}?procedure=1.001193"


def walk_in_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "desk": "H99.101.MC",
        "agency": "H99.101",
        "eform-ho_ten_tre": "Nguyễn Văn An",
        "eform-ngay_sinh": "2026-03-01",
        "return_method": "desk",
        "return_address": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_walk_in_dossier_page_chooses_the_procedure_first(client, people) -> None:
    client.force_login(people["desk"])
    url = reverse("backoffice:walk-in-dossier", kwargs={"applicant_id": people["citizen"].pk})
    first = client.get(url)
    assert first.status_code == 200 and "eform" not in first.context
    assert ("1.001193", "Thủ tục đăng ký khai sinh (1.001193)") in first.context["choice"].fields["procedure"].choices

    second = client.get(walk_in_url(people["citizen"]))
    form = second.context["form"]
    assert form.fields["desk"].choices == [("H99.101.MC", "Desk H99.101 (Xã An)")]
    assert [code for code, _label in form.fields["agency"].choices] == ["", "H99.101", "H99.102"]
    assert form["agency"].value() == "H99.101"  # the officer's own agency, preselected
    assert list(second.context["eform"].fields) == ["ho_ten_tre", "ngay_sinh"]
    assert [d.name for d, _f, _s in form.checklist()] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]

    assert client.get(f"{url}?procedure=9.999999").status_code == 400
    staff_member = reverse("backoffice:walk-in-dossier", kwargs={"applicant_id": people["desk"].pk})
    assert client.get(staff_member).status_code == 404


def test_walk_in_dossier_is_received_at_once(client, people, monday_morning) -> None:
    first, second = birth_documents()
    client.force_login(people["desk"])
    data = walk_in_data(
        **{f"file_{first.pk}": SimpleUploadedFile("to-khai.pdf", PDF), f"paper_{second.pk}": "original"}
    )

    response = client.post(walk_in_url(people["citizen"]), data)

    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert response["Location"] == reverse("backoffice:dossier", kwargs={"code": "H99.101-260309-0001"})
    assert (dossier.code, dossier.status, dossier.national_status, dossier.channel) == (
        "H99.101-260309-0001",
        Status.RECEIVED,
        NationalStatus.ACCEPTED,
        "desk",
    )
    assert (dossier.applicant, dossier.created_by, dossier.desk.code) == (
        people["citizen"],
        people["desk"],
        "H99.101.MC",
    )
    assert dossier.form_data == {"ho_ten_tre": "Nguyễn Văn An", "ngay_sinh": "2026-03-01"}
    assert dossier.due_at == datetime(2026, 3, 10, 9, 0, tzinfo=HCM)
    assert [(d.name, d.original_name, d.size, d.original_seen) for d in dossier.documents.all()] == [
        ("Tờ khai đăng ký khai sinh", "to-khai.pdf", len(PDF), False),
        ("Giấy chứng sinh", "", 0, True),
    ]
    assert len(media_files()) == 1
    page = client.get(response["Location"])
    assert [kind for kind, _label in page.context["slips"]] == ["receipt"]


def test_walk_in_incomplete_is_400_listing_the_missing_documents(client, people, monday_morning) -> None:
    first, _second = birth_documents()
    client.force_login(people["desk"])
    before = (dossier_rows(), counts_but_staged())

    response = client.post(
        walk_in_url(people["citizen"]),
        walk_in_data(**{f"file_{first.pk}": SimpleUploadedFile("to-khai.pdf", PDF)}),
    )

    assert response.status_code == 400
    assert response.context["missing"] == ["Giấy chứng sinh"]
    assert "Giấy chứng sinh" in response.content.decode()
    assert (dossier_rows(), counts_but_staged()) == before
    assert dossier_media() == []
    # The valid scan is kept for the corrected page.
    assert list(StagedUpload.objects.values_list("original_name", flat=True)) == ["to-khai.pdf"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"eform-ngay_sinh": "not a date"}, "ngay_sinh"),
        ({"return_method": "post"}, "return_address"),
        ({"desk": "H99.102.MC"}, "desk"),  # not one of the officer's desks
        ({"agency": "H99.01"}, "agency"),  # does not offer the procedure
    ],
)
def test_walk_in_bad_input_is_400_and_creates_nothing(overrides, field, client, people, monday_morning) -> None:
    first, second = birth_documents()
    client.force_login(people["desk"])
    before = (dossier_rows(), counts_but_staged())
    data = walk_in_data(
        **{f"file_{first.pk}": SimpleUploadedFile("to-khai.pdf", PDF), f"paper_{second.pk}": "original"}, **overrides
    )

    response = client.post(walk_in_url(people["citizen"]), data)

    assert response.status_code == 400
    errors = {**response.context["form"].errors, **response.context["eform"].errors}
    assert field in errors
    assert (dossier_rows(), counts_but_staged()) == before
    assert dossier_media() == []
    # The valid scan is kept for the corrected page.
    assert list(StagedUpload.objects.values_list("original_name", flat=True)) == ["to-khai.pdf"]


def test_walk_in_rejects_a_file_that_is_not_a_scan(client, people, monday_morning) -> None:
    first, second = birth_documents()
    client.force_login(people["desk"])
    data = walk_in_data(
        **{f"file_{first.pk}": SimpleUploadedFile("to-khai.pdf", b"MZ not a pdf"), f"paper_{second.pk}": "original"}
    )
    response = client.post(walk_in_url(people["citizen"]), data)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [f"file_{first.pk}"]
    assert Dossier.objects.count() == 0 and media_files() == []
