"""Dossiers submitted on the national portal, pulled into the competent desk's queue (intake_services)."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.apps import apps

from motcua.dossiers.constants import Channel, Status
from motcua.dossiers.models import Dossier
from motcua.identity.constants import VerificationMethod
from motcua.identity.models import User
from motcua.integrations.intake_models import IntakeStatus, NationalCursor, NationalIntake, NationalPull
from motcua.integrations.intake_services import (
    national_dossier_import,
    national_intake_pull,
    national_intake_retry,
)
from motcua.integrations.tests.national import birth_dossier, empty_portal, submit, with_file_bytes
from tests.factories import make_citizen
from tests.intake import HCM, PNG

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    """Rows of every table that an import may write."""
    labels = {"core", "identity", "catalog", "dossiers", "documents", "workflow", "notifications", "integrations"}
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in labels and model is not NationalPull
    }


@pytest.fixture
def portal(catalog: Any, fake_service: Any, monday_morning: Any) -> Any:
    return empty_portal(fake_service("national_portal"))


@pytest.fixture
def pull(django_capture_on_commit_callbacks: Any) -> Any:
    def run() -> NationalPull:
        with django_capture_on_commit_callbacks(execute=True):
            return national_intake_pull(actor=None)

    return run


def test_a_dossier_submitted_on_the_portal_waits_in_the_competent_desk_queue(portal: Any, pull: Any) -> None:
    submit(portal, birth_dossier())

    result = pull()

    assert (result.ok, result.error, result.counts) == (True, "", {"imported": 1, "failed": 0, "skipped": 0})
    dossier = Dossier.objects.select_related("applicant", "competent_agency", "receiving_agency", "desk").get()
    assert dossier.code == "H99.101-260309-0001"
    assert (dossier.status, dossier.channel, dossier.return_method) == (Status.SUBMITTED, Channel.ONLINE, "electronic")
    assert (dossier.competent_agency.code, dossier.receiving_agency.code, dossier.desk.code) == (
        "H99.101",
        "H99.101",
        "H99.101.MC",
    )
    assert dossier.form_data == {"ho_ten_tre": "Trần Minh An", "ngay_sinh": "2026-03-01"}
    assert (dossier.applicant_name, dossier.applicant_id_number, dossier.applicant_phone) == (
        "Trần Thị Mai",
        "042195006789",
        "0987654321",
    )
    documents = list(
        dossier.documents.order_by("id").values_list(
            "required_document__document_type_code", "original_name", "content_type"
        )
    )
    assert documents == [
        ("TKKS", "to-khai-khai-sinh.pdf", "application/pdf"),
        ("GCS", "giay-chung-sinh.pdf", "application/pdf"),
    ]
    stored = dossier.documents.order_by("id").first()
    assert stored is not None
    sent = portal.app.state["files"]["1-1"]
    assert stored.sha256 == hashlib.sha256(sent).hexdigest()
    account = dossier.applicant
    assert (account.username, account.kind, account.full_name, account.email) == (
        "042195006789",
        "citizen",
        "Trần Thị Mai",
        "mai.tran@example.vn",
    )
    assert account.identity_verification_method == VerificationMethod.NATIONAL_ID_LOGIN
    assert not account.has_usable_password()
    intake = NationalIntake.objects.get()
    assert (intake.national_code, intake.status, intake.dossier_id, intake.attempts) == (
        "G22.01-260309-000001",
        IntakeStatus.IMPORTED,
        dossier.pk,
        1,
    )
    assert intake.acknowledged_at is not None
    assert portal.app.state["acks"] == {
        "G22.01-260309-000001": {
            "MaHoSo": "G22.01-260309-000001",
            "MaHoSoDiaPhuong": "H99.101-260309-0001",
            "ThoiGianTiepNhan": "20260309090000",
        }
    }
    assert NationalCursor.objects.get().value == "1"


def test_pulling_again_changes_nothing(portal: Any, pull: Any) -> None:
    submit(portal, birth_dossier(), birth_dossier("G22.01-260309-000002"))
    pull()
    before = counts()

    again = pull()

    assert again.counts == {"imported": 0, "failed": 0, "skipped": 0}
    assert counts() == before


def test_a_dossier_seen_again_after_the_cursor_is_lost_is_not_imported_twice(portal: Any, pull: Any) -> None:
    submit(portal, birth_dossier())
    pull()
    NationalCursor.objects.update(value="")
    before = counts()

    again = pull()

    assert again.counts == {"imported": 0, "failed": 0, "skipped": 1}
    assert counts() == before
    assert len(portal.app.state["acks"]) == 1


def test_the_feed_is_read_page_by_page_from_the_cursor(portal: Any, pull: Any, settings: Any) -> None:
    settings.MOTCUA_NATIONAL_INTAKE_PAGE_SIZE = 2
    submit(portal, *(birth_dossier(f"G22.01-260309-00000{n}") for n in range(1, 6)))

    result = pull()

    assert result.counts == {"imported": 5, "failed": 0, "skipped": 0}
    pages = [path for method, path in portal.app.calls if path == "/api/tiep-nhan/ho-so"]
    assert len(pages) == 3
    assert NationalCursor.objects.get().value == "5"
    submit(portal, birth_dossier("G22.01-260309-000006"))
    assert pull().counts == {"imported": 1, "failed": 0, "skipped": 0}
    assert Dossier.objects.count() == 6


def test_an_unknown_procedure_is_listed_with_the_reason_and_writes_nothing(portal: Any, pull: Any) -> None:
    submit(portal, birth_dossier(MaTTHC="9.999999"))
    before = counts()

    result = pull()

    assert result.counts == {"imported": 0, "failed": 1, "skipped": 0}
    failure = NationalIntake.objects.get()
    assert (failure.status, failure.dossier_id, failure.retryable, failure.procedure_code, failure.applicant_name) == (
        IntakeStatus.FAILED,
        None,
        False,
        "9.999999",
        "Trần Thị Mai",
    )
    assert failure.reason == "Thủ tục 9.999999 không tồn tại."
    after = counts()
    assert after.pop("integrations.NationalIntake") == 1
    assert after.pop("integrations.NationalCursor") == 1
    before.pop("integrations.NationalIntake"), before.pop("integrations.NationalCursor")
    assert after == before  # no account, no dossier, no file
    assert portal.app.state["acks"] == {}


def test_an_agency_that_does_not_offer_the_procedure_is_listed(portal: Any, pull: Any) -> None:
    submit(portal, birth_dossier(MaCoQuan="H99.01"))

    pull()

    failure = NationalIntake.objects.get()
    assert failure.status == IntakeStatus.FAILED
    assert failure.reason == "Cơ quan đã chọn không thực hiện thủ tục này hoặc thủ tục không cung cấp trực tuyến."
    assert Dossier.objects.count() == 0


def test_a_missing_document_and_a_bad_e_form_are_reasons(portal: Any, pull: Any) -> None:
    one_file = birth_dossier("G1")
    one_file["TepDinhKem"] = one_file["TepDinhKem"][:1]
    bad_form = birth_dossier("G2", DuLieuBieuMau={"ho_ten_tre": "An"})
    submit(portal, one_file, bad_form)

    pull()

    reasons = dict(NationalIntake.objects.values_list("national_code", "reason"))
    assert reasons["G1"] == "Còn thiếu một số thành phần hồ sơ. — documents: Giấy chứng sinh"
    assert reasons["G2"] == "Biểu mẫu điện tử có lỗi. — ngay_sinh: Trường này là bắt buộc."
    assert Dossier.objects.count() == 0


def test_a_downloaded_file_is_checked_like_any_upload(portal: Any, pull: Any) -> None:
    disguised = with_file_bytes(birth_dossier("G1"), 1, b"<html><script>alert(1)</script></html>")
    image = with_file_bytes(birth_dossier("G2"), 1, PNG)
    submit(portal, disguised, image)

    pull()

    failure = NationalIntake.objects.get(national_code="G1")
    assert (failure.status, failure.reason, failure.retryable) == (
        IntakeStatus.FAILED,
        "Chỉ chấp nhận tệp PDF, JPEG hoặc PNG.",
        False,
    )
    imported = NationalIntake.objects.get(national_code="G2").dossier
    assert imported is not None
    assert list(imported.documents.order_by("id").values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/png",
    ]


def test_a_file_outside_the_portal_is_never_fetched(portal: Any, pull: Any) -> None:
    item = birth_dossier()
    item["TepDinhKem"][0]["DuongDan"] = "http://169.254.169.254/latest/meta-data"
    submit(portal, item)

    pull()

    failure = NationalIntake.objects.get()
    assert (failure.status, failure.retryable) == (IntakeStatus.FAILED, False)
    assert failure.reason == (
        "Cổng Dịch vụ công quốc gia từ chối: Tệp không nằm trên Cổng Dịch vụ công quốc gia: 169.254.169.254"
    )


def test_a_file_store_outage_is_retried_by_the_next_pull(portal: Any, pull: Any) -> None:
    submit(portal, birth_dossier())
    portal.app.state["file_outages"] = 1

    first = pull()

    assert first.counts == {"imported": 0, "failed": 1, "skipped": 0}
    failure = NationalIntake.objects.get()
    assert (failure.status, failure.retryable, failure.attempts) == (IntakeStatus.FAILED, True, 1)
    assert "HTTP 503" in failure.reason

    second = pull()

    assert second.counts == {"imported": 1, "failed": 0, "skipped": 0}
    intake = NationalIntake.objects.get()
    assert (intake.status, intake.reason, intake.attempts) == (IntakeStatus.IMPORTED, "", 2)
    assert Dossier.objects.count() == 1


def test_an_unreachable_portal_is_a_failed_pull_that_changes_nothing(portal: Any, pull: Any) -> None:
    submit(portal, birth_dossier())
    portal.app.set_faults(failure_rate=1.0)
    before = counts()

    result = pull()

    assert (result.ok, result.counts) == (False, {"imported": 0, "failed": 0, "skipped": 0})
    assert result.error.startswith("Cổng Dịch vụ công quốc gia không phản hồi; sẽ thử lại ở các lần lấy sau.")
    assert result.error.endswith("/api/tiep-nhan/ho-so: HTTP 503)")
    after = counts()
    assert after.pop("integrations.NationalCursor") == 1
    before.pop("integrations.NationalCursor")
    assert after == before


def test_the_portal_refuses_a_request_signed_with_another_secret(portal: Any, pull: Any, settings: Any) -> None:
    submit(portal, birth_dossier())
    settings.MOTCUA_NATIONAL_PORTAL_SECRET = "not-the-shared-secret"

    result = pull()

    assert result.ok is False
    assert result.error.startswith("Cổng Dịch vụ công quốc gia từ chối: GET http://127.0.0.1:")
    assert result.error.endswith("/api/thu-tuc: HTTP 401") or result.error.endswith("/api/tiep-nhan/ho-so: HTTP 401")
    assert Dossier.objects.count() == 0


def test_the_dossier_goes_to_the_verified_account_of_that_personal_id(portal: Any, pull: Any) -> None:
    citizen = make_citizen(personal_id="042195006789", phone="0911111111")
    users = User.objects.count()
    submit(portal, birth_dossier())

    pull()

    dossier = Dossier.objects.get()
    assert dossier.applicant_id == citizen.pk
    assert User.objects.count() == users


def test_an_unverified_account_with_that_personal_id_is_not_given_the_dossier(portal: Any, pull: Any) -> None:
    make_citizen(personal_id="042195006789", verified=False)
    submit(portal, birth_dossier())

    pull()

    failure = NationalIntake.objects.get()
    assert failure.status == IntakeStatus.FAILED
    assert failure.reason == (
        "Một tài khoản chưa được xác minh đang mang số định danh này: Bộ phận Một cửa cần đối chiếu với thẻ căn cước "
        "trước khi gắn hồ sơ nộp trên Cổng Dịch vụ công quốc gia vào tài khoản đó."
    )
    assert Dossier.objects.count() == 0


def test_a_phone_that_belongs_to_another_account_is_left_out(portal: Any, pull: Any) -> None:
    make_citizen(personal_id="001090000001", phone="0987654321")
    submit(portal, birth_dossier())

    pull()

    account = Dossier.objects.get().applicant
    assert (account.username, account.phone) == ("042195006789", "")


def test_an_administrator_retries_a_failure_once_the_catalog_allows_it(
    portal: Any, pull: Any, django_capture_on_commit_callbacks: Any
) -> None:
    submit(portal, birth_dossier(MaCoQuan="H99.01"))
    pull()
    failure = NationalIntake.objects.get()
    failure.payload["MaCoQuan"] = "H99.102"  # as if the procedure were now offered there
    failure.save()

    with django_capture_on_commit_callbacks(execute=True):
        outcome = national_intake_retry(actor=None, intake_id=failure.pk)

    assert outcome == "imported"
    failure.refresh_from_db()
    assert failure.status == IntakeStatus.IMPORTED
    assert failure.dossier is not None and failure.dossier.competent_agency.code == "H99.102"


def test_an_item_without_a_code_is_left_out(portal: Any) -> None:
    assert national_dossier_import(raw={"MaTTHC": "1.001193"}) == "failed"
    assert NationalIntake.objects.count() == 0


def test_the_dossier_is_submitted_here_when_it_is_imported(portal: Any, pull: Any) -> None:
    """Its time on the portal (NgayNop) stays in the payload; the clock of reception starts here anyway."""
    submit(portal, birth_dossier())

    pull()

    assert Dossier.objects.get().submitted_at.astimezone(HCM).strftime("%H:%M") == "09:00"


def test_too_many_files_are_refused_before_any_download(portal: Any, pull: Any) -> None:
    item = birth_dossier()
    item["TepDinhKem"] = [{"MaGiayTo": "", "TenTep": f"{n}.pdf", "DuongDan": "/api/tiep-nhan/tep/x"} for n in range(51)]
    submit(portal, item)

    pull()

    failure = NationalIntake.objects.get()
    assert failure.reason == "Một số giá trị không hợp lệ. — documents: Đính kèm tối đa 50 tệp."
    assert not [path for _method, path in portal.app.calls if path.startswith("/api/tiep-nhan/tep/")]


def test_reasons_are_kept_in_the_site_s_language_whoever_pulls(portal: Any, pull: Any) -> None:
    from django.utils import translation

    submit(portal, birth_dossier(MaTTHC="9.999999"))

    with translation.override("en"):
        pull()

    assert NationalIntake.objects.get().reason == "Thủ tục 9.999999 không tồn tại."
