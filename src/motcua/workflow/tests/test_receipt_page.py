"""The receipt fits one A4 page with its QR code, and carries the tracking book's volume and entry."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from pypdf import PdfReader

from motcua.catalog.models import Procedure, RequiredDocument
from motcua.catalog.services import catalog_import
from motcua.dossiers.slips import SlipKind, slip_context, slip_pdf
from motcua.workflow.book_entries import volume_of
from motcua.workflow.models import BookEntry, BookVolume
from motcua.workflow.services import dossier_receive, dossier_receive_at_desk, dossier_submit_online
from tests.factories import small_catalog
from tests.intake import HCM, birth_application, pdf

# The largest receipt the demo gives: eight documents with the long names real procedures have.
EIGHT_DOCUMENTS = [
    "Tờ khai đăng ký khai sinh theo mẫu quy định (trường hợp nộp trực tiếp hoặc qua bưu chính)",
    "Giấy chứng sinh do cơ sở khám bệnh, chữa bệnh cấp; trường hợp không có thì văn bản của người làm chứng",
    "Văn bản ủy quyền theo quy định của pháp luật (trường hợp ủy quyền thực hiện việc đăng ký khai sinh)",
    "Giấy tờ chứng minh nhân thân của người đi đăng ký khai sinh (hộ chiếu, thẻ căn cước hoặc giấy tờ khác)",
    "Giấy chứng nhận kết hôn của cha, mẹ trẻ (trường hợp cha, mẹ đã đăng ký kết hôn)",
    "Biên bản xác nhận việc trẻ bị bỏ rơi do cơ quan có thẩm quyền lập (trường hợp trẻ bị bỏ rơi)",
    "Văn bản chứng minh việc mang thai hộ theo quy định của pháp luật (trường hợp sinh con nhờ mang thai hộ)",
    "Giấy tờ chứng minh nơi cư trú của người đi đăng ký khai sinh trong trường hợp cần xác minh",
]
SITE = "http://127.0.0.1:8080"


@pytest.fixture
def eight(people, monday_morning, settings):
    settings.SITE_URL = SITE
    document = small_catalog()
    document["procedures"][0]["required_documents"] = [
        {"name": name, "form": "original" if n % 2 else "certified_copy", "quantity": 1}
        for n, name in enumerate(EIGHT_DOCUMENTS)
    ]
    catalog_import(actor=None, document=document)
    version = Procedure.objects.get(code="1.001193").current_version
    docs = list(RequiredDocument.objects.filter(version=version).order_by("position"))
    assert len(docs) == 8
    return docs


def walk_in_with_eight(people, docs):
    citizen = people["citizen"]
    citizen.address = "Số nhà 45, ngõ 12, đường Phan Đình Phùng, tổ dân phố số 7, phường Trần Hưng Đạo, xã An, tỉnh Thử"
    citizen.save(update_fields=["address"])
    uploads = [
        pdf(f"ban-scan-giay-to-so-{n}-cua-nguoi-nop-ho-so-dang-ky-khai-sinh.pdf", required_document_id=doc.pk)
        for n, doc in enumerate(docs[:4], start=1)
    ]
    return dossier_receive_at_desk(
        officer=people["desk"],
        applicant=people["citizen"],
        desk_code="H99.101.MC",
        application=birth_application(
            uploads=uploads,
            return_method="post",
            return_address="Số 128 đường Nguyễn Thị Minh Khai, tổ dân phố 5, phường Trần Hưng Đạo, xã An, tỉnh Thử",
            authorised_name="Trần Thị Bình Minh",
            authorised_id_number="001190009999",
        ),
        originals_seen=[doc.pk for doc in docs[4:]],
    )


def pages(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def test_the_largest_receipt_fits_one_page_with_its_qr_code(eight, people) -> None:
    dossier = walk_in_with_eight(people, eight)

    text = pages(slip_pdf(dossier, SlipKind.RECEIPT))

    assert len(text) == 1
    assert "8 Giấy tờ chứng minh nơi cư trú" in text[0]
    assert f"{SITE}/tra-cuu/{dossier.code}/" in text[0]  # the QR code sits beside its address
    assert "Vào Sổ theo dõi hồ sơ: quyển số H99.101.MC/2026, số thứ tự 1" in text[0]


def test_entries_are_numbered_per_desk_and_year_and_stored_at_reception(eight, people, monday_morning) -> None:
    first = walk_in_with_eight(people, eight)
    second = walk_in_with_eight(people, eight)
    application = birth_application(uploads=[pdf(required_document_id=doc.pk) for doc in eight])
    online = dossier_receive(
        actor=people["desk"], code=dossier_submit_online(actor=people["citizen"], application=application).code
    )
    monday_morning.move_to(datetime(2027, 1, 4, 9, 0, tzinfo=HCM))
    next_year = walk_in_with_eight(people, eight)

    entries = {e.dossier_id: (e.volume, e.number) for e in BookEntry.objects.all()}
    assert entries == {
        first.pk: ("H99.101.MC/2026", 1),
        second.pk: ("H99.101.MC/2026", 2),
        online.pk: ("H99.101.MC/2026", 3),  # submitted online to the agency: its desk's book
        next_year.pk: ("H99.101.MC/2027", 1),
    }
    assert sorted(BookVolume.objects.values_list("volume", "last")) == [("H99.101.MC/2026", 3), ("H99.101.MC/2027", 1)]
    # Without a desk, the receiving agency keeps the book.
    assert volume_of(online, online.received_at, desk_code="") == "H99.101/2026"
    # A reprint, later, gives what reception wrote.
    context = slip_context(second, SlipKind.RECEIPT)
    assert (context["book_volume"], context["book_number"]) == ("H99.101.MC/2026", 2)
    assert (
        "Vào Sổ theo dõi hồ sơ: quyển số H99.101.MC/2026, số thứ tự 2" in pages(slip_pdf(second, SlipKind.RECEIPT))[0]
    )


def test_a_refused_reception_takes_no_entry(eight, people) -> None:
    from motcua.workflow.transitions import TransitionNotAllowed

    dossier = walk_in_with_eight(people, eight)
    before = list(BookVolume.objects.values_list("volume", "last")), BookEntry.objects.count()

    with pytest.raises(TransitionNotAllowed):
        dossier_receive(actor=people["desk"], code=dossier.code)  # already received

    assert (list(BookVolume.objects.values_list("volume", "last")), BookEntry.objects.count()) == before


def test_a_dossier_received_before_books_were_numbered_prints_blanks(eight, people) -> None:
    dossier = walk_in_with_eight(people, eight)
    BookEntry.objects.filter(dossier=dossier).delete()

    context = slip_context(dossier, SlipKind.RECEIPT)

    assert (context["book_volume"], context["book_number"]) == ("", "")
    assert "Vào Sổ theo dõi hồ sơ: quyển số ………, số thứ tự ………" in pages(slip_pdf(dossier, SlipKind.RECEIPT))[0]


def test_dossiers_received_before_the_books_get_their_entries_in_order(eight, people, monday_morning) -> None:
    from motcua.workflow.book_entries import book_entries_backfill

    first = walk_in_with_eight(people, eight)
    monday_morning.move_to(datetime(2026, 3, 9, 10, 0, tzinfo=HCM))
    second = walk_in_with_eight(people, eight)
    BookEntry.objects.all().delete()
    BookVolume.objects.all().delete()

    assert book_entries_backfill() == 2
    assert book_entries_backfill() == 0  # idempotent

    assert sorted(BookEntry.objects.values_list("dossier_id", "volume", "number")) == [
        (first.pk, "H99.101.MC/2026", 1),
        (second.pk, "H99.101.MC/2026", 2),
    ]
    third = walk_in_with_eight(people, eight)  # reception goes on after the backfilled entries
    assert (third.book_entry.volume, third.book_entry.number) == ("H99.101.MC/2026", 3)
