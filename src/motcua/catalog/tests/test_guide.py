"""The facts of a procedure's online guide, the administrators' notes, and which procedures a board lists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.agencies.models import Agency, Desk
from motcua.catalog.constants import FeeMoment, OnlineMode
from motcua.catalog.exceptions import GuideTextInvalid
from motcua.catalog.guide import board_place, board_places, chunks, online_procedures, procedure_guide
from motcua.catalog.guide_models import GUIDE_TEXT_MAX_LENGTH, OnlineGuide
from motcua.catalog.models import Procedure
from motcua.catalog.services import online_guide_save
from motcua.core.models import AuditEntry
from tests.factories import UserFactory, row_counts


def test_the_guide_reads_the_published_version(catalog) -> None:
    guide = procedure_guide("1.001193")

    assert guide is not None
    assert (guide.online_mode, guide.online, guide.full) == ("full", True, True)
    assert [(f.label, f.required) for f in guide.fields] == [("Họ tên trẻ", True), ("Ngày sinh", True)]
    assert [(d.name, d.form, d.quantity, d.reusable) for d in guide.documents] == [
        ("Tờ khai đăng ký khai sinh", "original", 1, False),
        ("Giấy chứng sinh", "original", 1, False),
    ]
    assert [(f.name, f.amount, f.moment) for f in guide.fees] == [("Lệ phí", 0, FeeMoment.RECEPTION)]
    # A free fee is nothing to pay online.
    assert guide.payable_moments == ()
    assert guide.papers_to_bring == ()  # fully online: nothing to bring
    assert guide.results == ("Giấy khai sinh",)
    assert [agency.code for agency, _desks in guide.places] == ["H99.101", "H99.102"]
    assert (guide.intro, guide.notes, guide.notes_updated_at) == ("", "", None)


def test_a_partly_online_procedure_names_the_papers_to_bring(catalog) -> None:
    guide = procedure_guide("2.000528")

    assert guide is not None and guide.online_mode == OnlineMode.PARTIAL
    assert guide.papers_to_bring == ()  # no documents in the small catalog
    assert procedure_guide("9.999999") is None


def test_the_notes_are_saved_through_the_service_and_audited(catalog) -> None:
    admin = UserFactory(is_staff=True, is_superuser=True)
    procedure = Procedure.objects.get(code="1.001193")

    online_guide_save(actor=admin, procedure=procedure, intro="  Xin chào.  ", notes="Gọi 0203 3835 001.")
    saved = online_guide_save(actor=admin, procedure=procedure, intro="Xin chào.", notes="Gọi 0203 3835 002.")

    assert OnlineGuide.objects.count() == 1
    assert (saved.intro, saved.notes, saved.updated_by) == ("Xin chào.", "Gọi 0203 3835 002.", admin)
    guide = procedure_guide("1.001193")
    assert guide is not None and (guide.intro, guide.notes) == ("Xin chào.", "Gọi 0203 3835 002.")
    assert AuditEntry.objects.filter(action="online_guide_save", object_id=str(saved.pk)).count() == 2


def test_a_text_too_long_is_refused_with_nothing_changed(catalog) -> None:
    procedure = Procedure.objects.get(code="1.001193")
    online_guide_save(actor=None, procedure=procedure, intro="Trước.", notes="")
    before = row_counts()

    with pytest.raises(GuideTextInvalid) as refused:
        online_guide_save(actor=None, procedure=procedure, intro="x" * (GUIDE_TEXT_MAX_LENGTH + 1), notes="Sau.")

    assert refused.value.code == "guide_text_invalid"
    assert refused.value.details == {"intro": [f"Tối đa {GUIDE_TEXT_MAX_LENGTH} ký tự."]}
    assert row_counts() == before
    assert OnlineGuide.objects.get().intro == "Trước."


def test_the_admin_saves_through_the_service(catalog, client) -> None:
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    procedure = Procedure.objects.get(code="1.001193")

    response = client.post(
        reverse("admin:catalog_onlineguide_add"),
        {"procedure": procedure.pk, "intro": "Giới thiệu.", "notes": "Lưu ý."},
    )

    assert response.status_code == 302
    guide = OnlineGuide.objects.get()
    assert (guide.procedure, guide.intro, guide.notes, guide.updated_by) == (procedure, "Giới thiệu.", "Lưu ý.", admin)
    assert AuditEntry.objects.filter(action="online_guide_save").count() == 1


def test_a_board_lists_the_agencys_online_procedures_only(catalog, province) -> None:
    # H99.101 offers 1.001193 (full), 2.000528 (partial) and 2.000815 (not online); H99.102 only 1.001193.
    assert [p.code for p in online_procedures(province["commune_a"])] == ["1.001193", "2.000528"]
    assert [p.code for p in online_procedures(province["commune_b"])] == ["1.001193"]
    assert [p.code for p in online_procedures(province["department"])] == []


def test_a_board_is_found_by_agency_or_desk_code(catalog, province) -> None:
    desk = Desk.objects.get(code="H99.101.MC")  # every agency of the test tree has one desk
    Desk.objects.create(agency=province["commune_a"], code="H99.101.CU", name="Quầy cũ", is_active=False)

    by_desk = board_place("H99.101.MC")
    by_agency = board_place("H99.101")

    assert by_desk is not None and (by_desk.agency, by_desk.desk, by_desk.name) == (
        province["commune_a"],
        desk,
        "Desk H99.101",
    )
    assert by_agency is not None and (by_agency.desk, by_agency.name) == (None, "Xã An")
    assert board_place("H99.101.CU") is None  # an inactive desk
    assert board_place("H99.999") is None
    # The index: agencies offering something online, each followed by its active desks.
    assert [place.code for place in board_places()] == ["H99.101", "H99.101.MC", "H99.102", "H99.102.MC"]
    Agency.objects.filter(code="H99.102").update(is_active=False)
    assert board_place("H99.102") is None
    assert board_place("H99.102.MC") is None  # the desk of an inactive agency
    assert [place.code for place in board_places()] == ["H99.101", "H99.101.MC"]


def test_chunks() -> None:
    assert chunks([1, 2, 3, 4, 5, 6, 7], 3) == [[1, 2, 3], [4, 5, 6], [7]]
    assert chunks([], 3) == []
