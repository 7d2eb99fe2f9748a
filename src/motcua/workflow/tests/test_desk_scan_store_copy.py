"""Paper scanned at the desk becomes a coded, signed, searchable PDF/A in the owner's store (issue 14 §1).

With the workflow tests: reception and supplements are the intake services, which sit above ``documents``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django_tasks_db.models import DBTaskResult

from motcua.core.models import AuditEntry
from motcua.documents import services
from motcua.documents.constants import TextLayer
from motcua.documents.models import DigitizedDocument
from motcua.documents.tasks import scan_store_copy_task
from motcua.dossiers.models import DossierDocument
from motcua.signing import demo_certificate_issue
from motcua.signing.store import ca_cert_path, signing_dir
from motcua.workflow.services import (
    dossier_receive,
    dossier_receive_at_desk,
    dossier_request_supplement,
    dossier_submit_online,
    dossier_submit_supplement,
)
from tests.intake import birth_application, birth_documents, pdf
from tests.results import pdfsig, pyhanko_coverage
from tests.scans import PHRASE, pdf_text, pdfa_part, phrase_pdf, phrase_png

pytestmark = pytest.mark.django_db

OFFICER_NAME = "Lê Thị Mai"
SCAN_TASK = scan_store_copy_task.module_path


@pytest.fixture
def certified_desk(people: dict[str, Any]) -> Any:
    desk = people["desk"]
    demo_certificate_issue(signing_dir(), username=desk.username, full_name=OFFICER_NAME, organisation="UBND Xã An")
    return desk


def walk_in(people: dict[str, Any], officer: Any, *, first: bytes, first_name: str = "to-khai.png") -> Any:
    """A walk-in dossier: the form scanned as ``first``, the birth certificate scanned as a PDF."""
    docs = birth_documents()
    return dossier_receive_at_desk(
        officer=officer,
        applicant=people["citizen"],
        desk_code="H99.101.MC",
        application=birth_application(
            uploads=[pdf(first_name, docs[0].pk, data=first), pdf("giay-chung-sinh.pdf", docs[1].pk, phrase_pdf())]
        ),
        originals_seen=[],
    )


def stored(dossier: Any) -> list[DigitizedDocument]:
    return list(DigitizedDocument.objects.filter(dossier=dossier).select_related("dossier_document").order_by("id"))


def read(digitized: DigitizedDocument) -> bytes:
    with digitized.file.open("rb") as handle:
        return handle.read()


def store_files() -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT) / "store"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def signature_reason_and_place(data: bytes) -> tuple[str, str]:
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader

    (signature,) = PdfFileReader(BytesIO(data)).embedded_signatures
    return str(signature.sig_object["/Reason"]), str(signature.sig_object["/Location"])


def test_a_desk_scan_becomes_a_signed_searchable_pdfa_in_a_new_file(
    people, certified_desk, run_tasks, tmp_path
) -> None:
    dossier = walk_in(people, certified_desk, first=phrase_png())
    pending = stored(dossier)
    assert [d.text_layer for d in pending] == [TextLayer.PENDING, TextLayer.PENDING]
    assert DBTaskResult.objects.filter(task_path=SCAN_TASK).count() == 2

    assert run_tasks() >= 2

    for digitized in stored(dossier):
        original = digitized.dossier_document
        assert original is not None
        assert digitized.text_layer == TextLayer.DONE
        assert digitized.file.name != original.file.name and digitized.file.name.startswith("store/")
        data = read(digitized)
        assert digitized.content_type == "application/pdf"
        assert (digitized.size, digitized.sha256) == (len(data), hashlib.sha256(data).hexdigest())
        assert pdfa_part(data) == ("2", "B")
        assert PHRASE in pdf_text(data)
        assert digitized.signer_subject.startswith(f"CN={OFFICER_NAME}")
        assert pyhanko_coverage(data, ca_cert_path(signing_dir())) == [("ENTIRE_FILE", "NONE", True, True)]
        output = pdfsig(data, tmp_path)
        assert "Signature Validation: Signature is Valid." in output, output
        assert f"Signer Certificate Common Name: {OFFICER_NAME}" in output
        assert signature_reason_and_place(data) == ("Số hóa từ bản giấy", "Desk H99.101")
        # The dossier keeps the scan as it was given.
        with original.file.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == original.sha256
    assert AuditEntry.objects.filter(action="digitized_store_copy").count() == 2


def test_an_online_upload_needs_no_text_recognition(people) -> None:
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    dossier_receive(actor=people["desk"], code=dossier.code)
    assert {d.text_layer for d in stored(dossier)} == {TextLayer.NOT_NEEDED}
    assert not DBTaskResult.objects.filter(task_path=SCAN_TASK).exists()


def test_without_ocr_the_scan_is_kept_as_scanned_and_still_signed(
    people, certified_desk, run_tasks, settings, tmp_path
) -> None:
    settings.MOTCUA_OCR_COMMAND = str(tmp_path / "not-installed" / "ocrmypdf")
    dossier = walk_in(people, certified_desk, first=phrase_png())
    run_tasks()
    rows = stored(dossier)
    assert [d.text_layer for d in rows] == [TextLayer.UNAVAILABLE, TextLayer.UNAVAILABLE]
    image_copy = read(rows[0])
    assert image_copy.startswith(b"%PDF-")  # the PNG scan, as a PDF page
    assert pdfa_part(image_copy) == ("", "")
    assert PHRASE not in pdf_text(image_copy)
    for digitized in rows:
        assert digitized.signer_subject.startswith(f"CN={OFFICER_NAME}")
        assert "Signature Validation: Signature is Valid." in pdfsig(read(digitized), tmp_path)


def test_a_failing_ocr_keeps_the_scan_signed(people, certified_desk, run_tasks, settings, tmp_path) -> None:
    settings.MOTCUA_OCR_COMMAND = "/bin/false"
    dossier = walk_in(people, certified_desk, first=phrase_pdf(), first_name="to-khai.pdf")
    run_tasks()
    rows = stored(dossier)
    assert [d.text_layer for d in rows] == [TextLayer.FAILED, TextLayer.FAILED]
    assert all(d.signer_subject.startswith(f"CN={OFFICER_NAME}") for d in rows)


def test_an_officer_without_a_certificate_leaves_the_copy_unsigned(people, run_tasks, tmp_path) -> None:
    dossier = walk_in(people, people["desk"], first=phrase_pdf(), first_name="to-khai.pdf")
    run_tasks()
    rows = stored(dossier)
    assert [(d.text_layer, d.signer_subject) for d in rows] == [(TextLayer.DONE, ""), (TextLayer.DONE, "")]
    assert "does not contain any signatures" in pdfsig(read(rows[0]), tmp_path)


def test_running_the_task_twice_makes_one_file(people, certified_desk, settings, tmp_path) -> None:
    settings.MOTCUA_OCR_COMMAND = str(tmp_path / "missing")  # fast: the signature is what is written
    dossier = walk_in(people, certified_desk, first=phrase_png())
    first = stored(dossier)[0]
    before = store_files()
    services.scan_store_copy_make(digitized_id=first.pk)
    made = store_files()
    again = services.scan_store_copy_make(digitized_id=first.pk)
    assert again is not None and again.file.name == DigitizedDocument.objects.get(pk=first.pk).file.name
    assert len(made) == len(before) + 1 and store_files() == made
    assert AuditEntry.objects.filter(action="digitized_store_copy").count() == 1


def test_a_copy_that_loses_the_race_is_deleted(
    people, certified_desk, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    settings.MOTCUA_OCR_COMMAND = str(tmp_path / "missing")
    dossier = walk_in(people, certified_desk, first=phrase_png())
    first = stored(dossier)[0]
    record = services._scan_store_copy_record

    def another_run_finishes_first(**kwargs: Any) -> Any:
        DigitizedDocument.objects.filter(pk=first.pk).update(text_layer=TextLayer.UNAVAILABLE)
        return record(**kwargs)

    monkeypatch.setattr(services, "_scan_store_copy_record", another_run_finishes_first)
    with django_capture_on_commit_callbacks(execute=True):
        services.scan_store_copy_make(digitized_id=first.pk)
    assert store_files() == []
    assert DigitizedDocument.objects.get(pk=first.pk).file.name == first.dossier_document.file.name


def test_a_supplement_the_desk_scans_is_digitized_and_signed(people, certified_desk, run_tasks) -> None:
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    dossier_receive(actor=certified_desk, code=dossier.code)
    dossier_request_supplement(actor=certified_desk, code=dossier.code, missing=["Giấy chứng sinh"], note="")
    dossier_submit_supplement(
        actor=certified_desk, code=dossier.code, uploads=[pdf("bo-sung.pdf", birth_documents()[1].pk, phrase_pdf())]
    )
    supplement = DossierDocument.objects.get(dossier=dossier, for_supplement=True)
    digitized = DigitizedDocument.objects.get(dossier_document=supplement)
    assert digitized.text_layer == TextLayer.PENDING
    run_tasks()
    digitized.refresh_from_db()
    assert digitized.text_layer == TextLayer.DONE
    assert digitized.signer_subject.startswith(f"CN={OFFICER_NAME}")
    assert PHRASE in pdf_text(read(digitized))


def test_a_supplement_before_reception_waits_for_the_reception(people) -> None:
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    dossier_request_supplement(actor=people["desk"], code=dossier.code, missing=["Giấy chứng sinh"], note="")
    dossier_submit_supplement(
        actor=people["citizen"], code=dossier.code, uploads=[pdf("bo-sung.pdf", birth_documents()[1].pk)]
    )
    assert not DigitizedDocument.objects.filter(dossier=dossier).exists()
