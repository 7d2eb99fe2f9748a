"""Certified electronic copies from originals (Nghị định 23/2015/NĐ-CP, Nghị định 45/2020/NĐ-CP art. 14):
the desk compares, the certifier certifies, the copy is numbered from the book, signed by the agency,
stored in the applicant's data store, its fee recorded; refusals change nothing."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from io import BytesIO
from threading import Barrier
from typing import Any

import pytest
import time_machine
from django.db import connection, connections, transaction
from pypdf import PdfReader

from motcua.agencies.models import Agency
from motcua.core.exceptions import DomainError
from motcua.documents.certification import copy_fee, fee_rule_from
from motcua.documents.constants import Origin
from motcua.documents.models import Certification, CertificationBook, DigitizedDocument
from motcua.documents.services import certification_number_take
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.workflow.certification import dossier_certify, dossier_original_compare
from motcua.workflow.constants import ReturnVia
from motcua.workflow.processing import (
    dossier_approve,
    dossier_forward,
    dossier_issue_result,
    dossier_return_result,
    dossier_send_back,
)
from tests.certification import certification_setup, e_copy_entry, received_copy_request
from tests.factories import row_counts
from tests.intake import HCM
from tests.results import page_text, pdfsig, pyhanko_coverage

MONDAY = datetime(2026, 3, 9, 9, 0, tzinfo=HCM)


@pytest.fixture
def staff(province: dict[str, Any], people: dict[str, Any], settings: Any, tmp_path: Any) -> dict[str, Any]:
    return certification_setup(province, settings, tmp_path)


def _counts() -> dict[str, int]:
    return {
        **row_counts(),
        "books": CertificationBook.objects.count(),
        "entries": Certification.objects.count(),
        "stored": DigitizedDocument.objects.count(),
        "last": sum(CertificationBook.objects.values_list("last", flat=True)),
    }


def _certified(people: dict[str, Any], staff: dict[str, Any], **kwargs: Any) -> Dossier:
    dossier = received_copy_request(people, **kwargs)
    dossier_original_compare(actor=people["desk"], code=dossier.code)
    return dossier_certify(actor=staff["certifier"], code=dossier.code)


# --- the fee (Thông tư 226/2016/TT-BTC) ----------------------------------------------------------------------


@pytest.mark.parametrize(("pages", "fee"), [(1, 2_000), (2, 4_000), (3, 5_000), (250, 200_000)])
def test_the_fee_by_pages_from_the_catalog_rows(pages: int, fee: int) -> None:
    rule = fee_rule_from((row["amount"], row["note"]) for row in e_copy_entry()["fees"])
    assert copy_fee(pages, rule) == fee
    assert copy_fee(pages, rule, copies=2) == 2 * fee


@pytest.mark.parametrize(("pages", "fee"), [(1, 2_000), (2, 4_000), (3, 5_000), (250, 200_000)])
def test_the_certified_copy_records_its_fee_by_pages(people, staff, pages: int, fee: int) -> None:
    with time_machine.travel(MONDAY, tick=False):
        dossier = _certified(people, staff, pages=pages)
    entry = Certification.objects.get(dossier=dossier)
    assert (entry.pages, entry.copies, entry.fee) == (pages, 1, fee)


# --- the whole flow ------------------------------------------------------------------------------------------


def test_a_certified_copy_is_numbered_signed_by_the_agency_stored_and_returned(people, staff, tmp_path) -> None:
    citizen = people["citizen"]
    with time_machine.travel(MONDAY, tick=False):
        dossier = received_copy_request(people, pages=3, copies=2)
        compared = dossier_original_compare(actor=people["desk"], code=dossier.code)
        assert compared.holder_role == "unit_leader"
        certified = dossier_certify(actor=staff["certifier"], code=dossier.code)
        assert certified.status == Status.IN_PROGRESS and certified.holder_role == "clerk"

        entry = Certification.objects.select_related("book", "document").get(dossier=dossier)
        assert (entry.book.volume, entry.book.year, entry.number) == ("01/2026-SCT/BS", 2026, 1)
        assert (entry.pages, entry.copies, entry.fee) == (3, 2, 10_000)
        assert entry.requester_id_number == citizen.personal_id
        assert entry.document_name == "Bằng tốt nghiệp trung học phổ thông"
        assert (entry.certifier, entry.certifier_title) == (staff["certifier"], "Lãnh đạo Xã An")

        stored = entry.document
        assert stored.origin == Origin.CERTIFIED_COPY
        assert stored.code == f"{citizen.personal_id}.CT.H99.101.2026.000001.01"
        assert stored.store.owner_id_number == citizen.personal_id
        assert (stored.issuer, stored.valid_until) == ("Xã An", None)
        result = Dossier.objects.get(pk=dossier.pk).result
        assert result.number == "Số 1, quyển số 01/2026-SCT/BS"
        assert stored.result_id == result.pk and stored.sha256 == result.sha256
        with result.file.open("rb") as handle:
            pdf = handle.read()

        issued = dossier_issue_result(actor=staff["clerk"], code=dossier.code)
        assert issued.status == Status.RESULT_READY
        result.refresh_from_db()
        assert result.number == "Số 1, quyển số 01/2026-SCT/BS"  # not renumbered by the clerk
        assert result.sha256 == stored.sha256  # nor signed again
        returned = dossier_return_result(actor=people["desk"], code=dossier.code, via=ReturnVia.ELECTRONIC)
        assert returned.status == Status.RETURNED

    reader = PdfReader(BytesIO(pdf))
    assert len(reader.pages) == 4  # the three scanned pages and the certification page
    text = " ".join(page_text(pdf).split())
    assert "CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH" in text
    assert "Số chứng thực: 1" in text and "Quyển số: 01/2026-SCT/BS" in text
    assert "Ngày 09 tháng 03 năm 2026" in text
    assert "Lệ phí chứng thực: 10.000 đồng" in text
    assert pyhanko_coverage(pdf, staff["ca_file"]) == [("ENTIRE_FILE", "NONE", True, True)]
    report = pdfsig(pdf, tmp_path)
    assert report.count("Signature is Valid") == 1
    assert "Ủy ban nhân dân Xã An" in report
    assert "Hoàng" not in report  # the agency signs, not a person


# --- numbering -----------------------------------------------------------------------------------------------


def test_numbers_run_per_agency_and_year_and_restart_each_year(people, staff) -> None:
    with time_machine.travel(MONDAY, tick=False):
        first, second = _certified(people, staff), _certified(people, staff)
    with time_machine.travel(datetime(2027, 1, 4, 9, 0, tzinfo=HCM), tick=False):
        third = _certified(people, staff)
    rows = list(
        Certification.objects.order_by("id").values_list("dossier_id", "book__volume", "number", "document__code")
    )
    pid = people["citizen"].personal_id
    assert rows == [
        (first.pk, "01/2026-SCT/BS", 1, f"{pid}.CT.H99.101.2026.000001.01"),
        (second.pk, "01/2026-SCT/BS", 2, f"{pid}.CT.H99.101.2026.000002.01"),
        (third.pk, "01/2027-SCT/BS", 1, f"{pid}.CT.H99.101.2027.000001.01"),
    ]


def test_a_rolled_back_number_is_given_again(province, staff) -> None:
    agency = province["commune_a"]
    with pytest.raises(RuntimeError), transaction.atomic():
        certification_number_take(agency=agency, year=2026)
        raise RuntimeError("signing failed")
    assert certification_number_take(agency=agency, year=2026)[1] == 1
    assert certification_number_take(agency=province["department"], year=2026)[1] == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_certifications_get_distinct_gapless_numbers() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is exercised on PostgreSQL (CI runs the suite there too)")
    from tests.factories import make_province_tree

    agency: Agency = make_province_tree()["commune_a"]
    count = 40
    start = Barrier(10)

    def take(index: int) -> int:
        try:
            if index < 10:
                start.wait()  # the first wave starts together
            with transaction.atomic():
                number = certification_number_take(agency=agency, year=2026)[1]
                if index % 7 == 3:
                    transaction.set_rollback(True)  # a refused certification gives its number back
                    return 0
                return number
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        numbers = [n for n in pool.map(take, range(count)) if n]
    kept = count - len([i for i in range(count) if i % 7 == 3])
    assert sorted(numbers) == list(range(1, kept + 1))
    assert CertificationBook.objects.get(agency=agency, year=2026).last == kept


# --- refusals change nothing ---------------------------------------------------------------------------------


def _refused(code: str, work: Any) -> DomainError:
    before = _counts()
    with pytest.raises(DomainError) as caught:
        work()
    assert caught.value.code == code
    assert _counts() == before
    return caught.value


def test_only_the_certifying_agencys_leader_certifies(people, staff) -> None:
    dossier = received_copy_request(people)
    dossier_original_compare(actor=people["desk"], code=dossier.code)
    for person in (staff["other_leader"], staff["clerk"], people["desk"], people["specialist"]):
        _refused("permission_denied", lambda p=person: dossier_certify(actor=p, code=dossier.code))
    assert Dossier.objects.get(pk=dossier.pk).holder_role == "unit_leader"


def test_a_scan_not_compared_with_the_original_is_not_certified(people, staff) -> None:
    dossier = received_copy_request(people)
    dossier_forward(actor=people["desk"], code=dossier.code)  # forwarded without recording the comparison
    _refused("original_not_compared", lambda: dossier_certify(actor=staff["certifier"], code=dossier.code))


def test_an_e_copy_is_certified_not_approved(people, staff) -> None:
    dossier = received_copy_request(people)
    dossier_original_compare(actor=people["desk"], code=dossier.code)
    _refused("certify_instead", lambda: dossier_approve(actor=staff["certifier"], code=dossier.code))


def test_without_the_agency_certificate_nothing_is_certified_and_no_number_is_used(people, staff, settings) -> None:
    dossier = received_copy_request(people)
    dossier_original_compare(actor=people["desk"], code=dossier.code)
    folder = settings.MOTCUA_SIGNING_DIR / "agencies"
    hidden = {path: path.read_bytes() for path in folder.iterdir()}
    for path in hidden:
        path.unlink()
    _refused("signer_unavailable", lambda: dossier_certify(actor=staff["certifier"], code=dossier.code))
    for path, data in hidden.items():
        path.write_bytes(data)
    dossier_certify(actor=staff["certifier"], code=dossier.code)
    assert Certification.objects.get(dossier=dossier).number == 1


def test_a_copy_is_certified_once(people, staff) -> None:
    dossier = _certified(people, staff)
    _refused("wrong_step", lambda: dossier_certify(actor=staff["certifier"], code=dossier.code))
    # Sent back by the clerk, it stays certified: its number is in the book and the copy in the store.
    dossier_send_back(actor=staff["clerk"], code=dossier.code, reason="Kiểm tra lại")
    _refused("already_certified", lambda: dossier_certify(actor=staff["certifier"], code=dossier.code))


def test_the_compare_step_is_for_e_copy_requests_only(people, staff) -> None:
    from tests.processing import received_birth_dossier

    dossier = received_birth_dossier(people)
    _refused("not_a_certification", lambda: dossier_original_compare(actor=people["desk"], code=dossier.code))


def test_a_scan_signed_at_the_desk_keeps_no_signature_of_its_own_in_the_copy(settings, tmp_path) -> None:
    from motcua.signing import demo_certificate_issue, signer_for
    from motcua.workflow.certification import copy_pdf
    from tests.intake import make_pdf

    settings.MOTCUA_SIGNING_DIR = tmp_path / "signing"
    demo_certificate_issue(settings.MOTCUA_SIGNING_DIR, username="motcua", full_name="Lê Thị Mai", organisation="Xã An")
    scan = signer_for("motcua").sign(make_pdf("scan", pages=2), reason="Số hóa", location="Xã An")
    copy = copy_pdf(scan, "<p>Chứng thực bản sao đúng với bản chính</p>")
    reader = PdfReader(BytesIO(copy))
    assert len(reader.pages) == 3
    assert reader.get_fields() is None
