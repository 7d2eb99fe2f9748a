"""The back office dossier page shows each component's store entry; the store copy downloads are
permission-checked and audited; the desk records the digitization fee (with the workflow tests: the intake
services sit above ``documents`` and ``backoffice`` is an interface)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from motcua.core.models import AuditEntry
from motcua.documents.models import DigitizationCharge, DigitizationFee, DigitizedDocument
from motcua.dossiers.slips import SlipKind, slip_context
from motcua.signing import demo_certificate_issue
from motcua.signing.store import signing_dir
from motcua.workflow.services import dossier_receive_at_desk
from tests.intake import birth_application, birth_documents, pdf
from tests.scans import PHRASE, pdf_text, phrase_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def scanned(people: dict[str, Any], run_tasks: Any, settings: Any) -> Any:
    desk = people["desk"]
    demo_certificate_issue(signing_dir(), username=desk.username, full_name="Lê Thị Mai", organisation="UBND Xã An")
    docs = birth_documents()
    dossier = dossier_receive_at_desk(
        officer=desk,
        applicant=people["citizen"],
        desk_code="H99.101.MC",
        application=birth_application(uploads=[pdf("to-khai.pdf", docs[0].pk, phrase_pdf())]),
        originals_seen=[docs[1].pk],
    )
    run_tasks()
    return dossier


def test_the_dossier_page_shows_code_signature_and_text_layer(client, people, scanned) -> None:
    client.force_login(people["desk"])
    page = client.get(reverse("backoffice:dossier", args=[scanned.code])).content.decode()
    digitized = DigitizedDocument.objects.get(dossier=scanned)
    assert digitized.code == f"{scanned.applicant_id_number}.1.001193.{digitized.type_code}.01"
    assert digitized.code in page
    assert "đã số hóa, ký số bởi Lê Thị Mai" in page
    assert "có thể tìm kiếm (OCR), PDF/A" in page
    assert f"còn hiệu lực đến {digitized.valid_until:%d/%m/%Y}" in page


def test_the_store_copy_downloads_for_staff_who_see_the_dossier_and_is_audited(client, people, scanned) -> None:
    digitized = DigitizedDocument.objects.get(dossier=scanned)
    url = reverse("backoffice:dossier-digitized", args=[scanned.code, digitized.pk])
    client.force_login(people["other_desk"])  # another commune's desk does not see the dossier
    assert client.get(url).status_code == 404
    assert not AuditEntry.objects.filter(action="digitized_document_read").exists()
    client.force_login(people["desk"])
    response = client.get(url)
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    assert PHRASE in pdf_text(data)
    assert response["Content-Disposition"] == f'attachment; filename="{digitized.code}.pdf"'
    entry = AuditEntry.objects.get(action="digitized_document_read")
    assert (entry.actor_id, entry.summary) == (people["desk"].pk, digitized.code)


def test_the_desk_records_the_fee_shown_on_the_page_and_the_receipt(client, people, province, scanned) -> None:
    DigitizationFee.objects.create(amount_per_page=2000)
    client.force_login(people["desk"])
    url = reverse("backoffice:dossier-digitization-charge", args=[scanned.code])
    refused = client.post(url, {"pages": "0"})
    assert refused.status_code == 400 and not DigitizationCharge.objects.exists()
    assert client.post(url, {"pages": "3", "note": "Giấy chứng sinh"}).status_code == 302
    page = client.get(reverse("backoffice:dossier", args=[scanned.code])).content.decode()
    assert "Số tiền phải nộp: 6.000 VND" in page
    receipt = slip_context(scanned, SlipKind.RECEIPT)
    assert receipt["digitization_fee"] == "6.000 đồng (3 trang × 2.000 đồng/trang)"
    client.force_login(people["specialist"])  # not a desk officer: no form, and a post is refused
    assert (
        "form-digitization-charge"
        not in client.get(reverse("backoffice:dossier", args=[scanned.code])).content.decode()
    )
    assert client.post(url, {"pages": "2"}).status_code == 403
    assert DigitizationCharge.objects.count() == 1
