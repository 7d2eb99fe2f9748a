"""Reuse at intake (issue 14 §3): a second dossier takes the birth extract and the ID card from the store
of the first, online and at the desk; the store's refusals change nothing; the receipt says what was
reused and certifies no paper."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.core.exceptions import ValidationFailed
from motcua.core.models import AuditEntry
from motcua.documents.constants import Origin
from motcua.documents.exceptions import (
    DocumentExpired,
    DocumentNotInStore,
    DocumentNotReusable,
    DocumentTypeMismatch,
)
from motcua.documents.models import DigitizedDocument, DocumentReuse
from motcua.documents.services import store_for
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.slips import SlipKind, slip_context, slip_html
from motcua.workflow.intake_rows import reuse_offers
from motcua.workflow.services import (
    IdempotencyKeyReused,
    dossier_receive,
    dossier_receive_at_desk,
    dossier_submit_online,
    dossier_submit_online_once,
)
from motcua.workflow.version_parts import version_parts
from tests.factories import row_counts
from tests.intake import HCM, pdf
from tests.reuse import CORRECTION, RE_REGISTRATION, application, first_dossier, reuse_catalog, specs, stored

pytestmark = pytest.mark.django_db

OWNER = "042190001234"  # people["citizen"]


@pytest.fixture
def clock() -> Any:
    with time_machine.travel("2026-03-09 09:00 +07:00", tick=False) as traveller:
        yield traveller


@pytest.fixture
def store(people: dict[str, Any], clock: Any) -> dict[str, Any]:
    """The citizen's first dossier (1.004859), received: its three components are in the store."""
    reuse_catalog()
    first = first_dossier(people)
    return {"first": first, "GKS": stored("GKS"), "CCCD": stored("CCCD"), "TK": stored("TK")}


def second_application(**overrides: Any) -> Any:
    docs = specs(RE_REGISTRATION)
    values = {
        "uploads": [pdf("to-khai.pdf", docs["TK"].pk)],
        "reused": {docs["GKS"].pk: stored("GKS").code, docs["CCCD"].pk: stored("CCCD").code},
    }
    values.update(overrides)
    return application(RE_REGISTRATION, **values)


def counts() -> dict[str, int]:
    return {**row_counts(), "reuses": DocumentReuse.objects.count(), "stored": DigitizedDocument.objects.count()}


def test_the_first_dossier_lands_in_the_store_with_codes_and_validity(store) -> None:
    rows = sorted(DigitizedDocument.objects.values_list("code", "type_code", "valid_until", "origin"))
    assert rows == [
        (f"{OWNER}.1.004859.CCCD.01", "CCCD", date(2026, 9, 9), "component"),
        (f"{OWNER}.1.004859.GKS.01", "GKS", None, "component"),
        (f"{OWNER}.1.004859.TK.01", "TK", date(2026, 9, 9), "component"),  # no type rule: 6 months
    ]


def test_a_second_dossier_takes_both_documents_from_the_store_and_records_their_sources(people, store) -> None:
    docs = specs(RE_REGISTRATION)
    second = dossier_submit_online(actor=people["citizen"], application=second_application())

    components = {d.required_document_id: d for d in DossierDocument.objects.filter(dossier=second)}
    assert sorted(components) == sorted(d.pk for d in docs.values())
    assert [bool(components[docs[t].pk].file) for t in ("TK", "GKS", "CCCD")] == [True, False, False]
    reuses = {
        (r.dossier_document.required_document_id, r.source_id, r.by_id)
        for r in DocumentReuse.objects.filter(dossier=second).select_related("dossier_document")
    }
    assert reuses == {
        (docs["GKS"].pk, store["GKS"].pk, people["citizen"].pk),
        (docs["CCCD"].pk, store["CCCD"].pk, people["citizen"].pk),
    }
    taken = components[docs["CCCD"].pk]
    assert (taken.form, taken.sha256, taken.size, taken.reused_code) == (
        "electronic",
        store["CCCD"].sha256,
        store["CCCD"].size,
        store["CCCD"].code,
    )
    assert sorted(AuditEntry.objects.filter(action="document_reuse").values_list("data__source", flat=True)) == sorted(
        [store["CCCD"].code, store["GKS"].code]
    )

    # At reception only the new file is digitized: the reused documents are already in the store.
    dossier_receive(actor=people["desk"], code=second.code)
    assert sorted(DigitizedDocument.objects.filter(dossier=second).values_list("code", flat=True)) == [
        f"{OWNER}.1.004884.TK.01"
    ]


def test_the_receipt_says_which_documents_were_reused_and_certifies_no_paper(people, store) -> None:
    second = dossier_submit_online(actor=people["citizen"], application=second_application())
    received = dossier_receive(actor=people["desk"], code=second.code)
    rows = [(d.name, d.form, d.given, d.file_name) for d in slip_context(received, SlipKind.RECEIPT)["documents"]]
    assert rows == [
        ("Tờ khai đăng ký lại khai sinh", "Bản điện tử", "Tệp điện tử:", "to-khai.pdf"),
        (
            "Giấy khai sinh hoặc Trích lục khai sinh",
            "Bản điện tử",
            f"Tái sử dụng từ kho dữ liệu (mã {OWNER}.1.004859.GKS.01)",
            "",
        ),
        (
            "Thẻ căn cước của người yêu cầu",
            "Bản điện tử",
            f"Tái sử dụng từ kho dữ liệu (mã {OWNER}.1.004859.CCCD.01)",
            "",
        ),
    ]
    html = slip_html(received, SlipKind.RECEIPT)
    assert html.count("Tái sử dụng từ kho dữ liệu") == 2
    assert "Đã đối chiếu bản chính" not in html and "Đã nhận bản giấy" not in html


def refusal_cases(store: dict[str, Any]) -> dict[str, tuple[dict[int, str], type[Exception], str]]:
    docs = specs(RE_REGISTRATION)
    other = store_for(owner_id_number="001203000777", owner_name="Trần Thị B", owner_kind="person")
    foreign = DigitizedDocument.objects.create(
        store=other,
        code="001203000777.1.004859.GKS.01",
        origin=Origin.COMPONENT,
        type_code="GKS",
        name="Giấy khai sinh",
        file=store["GKS"].file.name,
        sha256=store["GKS"].sha256,
        digitized_at=store["GKS"].digitized_at,
    )
    gks, cccd = docs["GKS"], docs["CCCD"]
    return {
        "foreign": ({gks.pk: foreign.code}, DocumentNotInStore, f"{gks.name}: "),
        "unknown": ({gks.pk: store["GKS"].code + "9"}, DocumentNotInStore, f"{gks.name}: "),
        "not reusable": ({docs["TK"].pk: store["TK"].code}, DocumentNotReusable, f"{docs['TK'].name}: "),
        "type mismatch": ({gks.pk: store["CCCD"].code}, DocumentTypeMismatch, f"{gks.name}: "),
        "another procedure's document": ({specs(CORRECTION)["GKS"].pk: store["GKS"].code}, DocumentNotReusable, ""),
        "expired": ({cccd.pk: store["CCCD"].code}, DocumentExpired, f"{cccd.name}: "),
    }


@pytest.mark.parametrize(
    "case", ["foreign", "unknown", "not reusable", "type mismatch", "another procedure's document", "expired"]
)
def test_a_refused_document_is_refused_with_its_reason_and_nothing_changes(people, store, clock, case) -> None:
    chosen, error, prefix = refusal_cases(store)[case]
    if case == "expired":
        clock.move_to("2026-09-10 09:00 +07:00")  # the CCCD copy was usable until 9 September
    before = counts()
    docs = specs(RE_REGISTRATION)
    reused = {docs["GKS"].pk: store["GKS"].code, docs["CCCD"].pk: store["CCCD"].code} | chosen
    if case == "another procedure's document":
        reused = {**chosen, docs["CCCD"].pk: store["CCCD"].code}
    uploads = [pdf(f"{t}.pdf", d.pk) for t, d in docs.items() if d.pk not in reused]  # the others as files
    with pytest.raises(error) as refused:
        dossier_submit_online(actor=people["citizen"], application=second_application(uploads=uploads, reused=reused))
    assert refused.value.details == {"documents": [prefix + str(error.default_message)]}  # type: ignore[attr-defined]
    assert counts() == before


def test_expired_is_a_conflict_and_a_foreign_document_is_not_found(people, store) -> None:
    assert (DocumentExpired.code, DocumentExpired.status) == ("document_expired", 409)
    assert (DocumentNotInStore.code, DocumentNotInStore.status) == ("document_not_in_store", 404)


def test_a_document_both_attached_and_reused_is_refused(people, store) -> None:
    docs = specs(RE_REGISTRATION)
    before = counts()
    uploads = [pdf("to-khai.pdf", docs["TK"].pk), pdf("gks.pdf", docs["GKS"].pk)]
    with pytest.raises(ValidationFailed) as refused:
        dossier_submit_online(actor=people["citizen"], application=second_application(uploads=uploads))
    assert refused.value.code == "document_reused_and_attached"
    assert counts() == before


def test_the_same_key_and_choice_give_the_first_dossier_and_another_choice_is_refused(people, store) -> None:
    first = dossier_submit_online_once(actor=people["citizen"], application=second_application(), idempotency_key="k1")
    before = counts()
    again = dossier_submit_online_once(actor=people["citizen"], application=second_application(), idempotency_key="k1")
    assert (again.created, again.dossier.pk) == (False, first.dossier.pk)
    assert counts() == before
    docs = specs(RE_REGISTRATION)
    other_choice = second_application(
        uploads=[pdf("to-khai.pdf", docs["TK"].pk), pdf("gks.pdf", docs["GKS"].pk)],
        reused={docs["CCCD"].pk: store["CCCD"].code},
    )
    with pytest.raises(IdempotencyKeyReused):
        dossier_submit_online_once(actor=people["citizen"], application=other_choice, idempotency_key="k1")
    assert counts() == before


def test_the_desk_takes_documents_from_the_applicants_store_for_a_walk_in(people, store) -> None:
    docs = specs(RE_REGISTRATION)
    dossier = dossier_receive_at_desk(
        officer=people["desk"],
        applicant=people["citizen"],
        desk_code="H99.101.MC",
        application=second_application(uploads=[]),
        originals_seen=[docs["TK"].pk],
    )
    assert dossier.status == "received"
    reuses = DocumentReuse.objects.filter(dossier=dossier)
    assert sorted((r.source.code, r.by_id) for r in reuses) == [
        (store["CCCD"].code, people["desk"].pk),
        (store["GKS"].code, people["desk"].pk),
    ]
    given = [d.given for d in slip_context(dossier, SlipKind.RECEIPT)["documents"]]
    assert given == [
        "Đã đối chiếu bản chính",
        f"Tái sử dụng từ kho dữ liệu (mã {store['GKS'].code})",
        f"Tái sử dụng từ kho dữ liệu (mã {store['CCCD'].code})",
    ]


def test_the_desk_cannot_take_another_persons_document(people, store, province) -> None:
    from tests.factories import make_citizen

    stranger = make_citizen(personal_id="001203000888")
    docs = specs(RE_REGISTRATION)
    before = counts()
    with pytest.raises(DocumentNotInStore):
        dossier_receive_at_desk(
            officer=people["desk"],
            applicant=stranger,
            desk_code="H99.101.MC",
            application=second_application(uploads=[]),
            originals_seen=[docs["TK"].pk],
        )
    assert counts() == before


def test_offers_are_the_owners_valid_documents_of_reusable_types_newest_first_in_one_query(people, store) -> None:
    # A result of an earlier dossier of the same type is offered too, newer than the component.
    result = DigitizedDocument.objects.create(
        store=store["GKS"].store,
        code=f"{OWNER}.KQ.H99.000001.01",
        origin=Origin.RESULT,
        type_code="GKS",
        name="Giấy khai sinh (bản chính)",
        issued_on=date(2026, 3, 9),
        file=store["GKS"].file.name,
        sha256=store["GKS"].sha256,
        digitized_at=store["GKS"].digitized_at.replace(hour=5),
    )
    parts = version_parts(Dossier.objects.get(pk=store["first"].pk).procedure.current_version)  # 1.004859
    with CaptureQueriesContext(connection) as queries:
        offers = reuse_offers(parts.documents, owner_id_number=OWNER, on=date(2026, 3, 9))
    assert len(queries) == 1
    docs = specs(CORRECTION)
    assert {pk: [d.code for d in found] for pk, found in offers.items()} == {
        docs["GKS"].pk: [result.code, store["GKS"].code],
        docs["CCCD"].pk: [store["CCCD"].code],
    }  # TK is not reusable: never offered
    assert reuse_offers(parts.documents, owner_id_number=OWNER, on=date(2026, 9, 10)) == {
        docs["GKS"].pk: [result, store["GKS"]]
    }  # the CCCD copy has expired
    assert reuse_offers(parts.documents, owner_id_number="001203000777", on=date(2026, 3, 9)) == {}


def test_the_time_of_reception_is_local(store) -> None:
    assert store["first"].received_at.astimezone(HCM).date() == date(2026, 3, 9)
