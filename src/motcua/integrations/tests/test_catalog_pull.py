"""The national portal's catalog pulled: new and changed procedures arrive as drafts for review."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.catalog.constants import VersionStatus
from motcua.catalog.models import Offering, Procedure, ProcedureVersion
from motcua.catalog.selectors import version_content
from motcua.integrations.intake_services import national_catalog_pull
from motcua.integrations.tests.national import empty_portal, national_catalog
from tests.factories import BIRTH_SCHEMA, row_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal(catalog: Any, fake_service: Any) -> Any:
    server = empty_portal(fake_service("national_portal"))
    server.app.state["catalog"] = national_catalog()
    return server


def procedure(portal: Any, code: str) -> dict[str, Any]:
    return next(item for item in portal.app.state["catalog"] if item["MaTTHC"] == code)


def test_an_unchanged_catalog_writes_nothing(portal: Any) -> None:
    before = row_counts()

    pull = national_catalog_pull(actor=None)

    assert (pull.ok, pull.error) == (True, "")
    assert pull.counts == {"created": 0, "changed": 0, "unchanged": 3, "pending": 0, "failed": 0}
    assert row_counts() == before


def test_a_changed_procedure_becomes_a_draft_that_keeps_the_province_s_own_parts(portal: Any) -> None:
    birth = procedure(portal, "1.001193")
    birth["PhiLePhi"][0]["MucThu"] = 8000
    birth["ThoiHanGiaiQuyet"]["SoLuong"] = "2"
    birth["ThanhPhanHoSo"].append(
        {"TenGiayTo": "Văn bản ủy quyền", "MaGiayTo": "VBUQ", "SoLuong": 1, "HinhThuc": "BAN_SAO_CHUNG_THUC"}
    )
    published = Procedure.objects.get(code="1.001193").current_version

    pull = national_catalog_pull(actor=None)

    assert pull.counts == {"created": 0, "changed": 1, "unchanged": 2, "pending": 0, "failed": 0}
    draft = ProcedureVersion.objects.get(procedure__code="1.001193", status=VersionStatus.DRAFT)
    assert pull.details["changed"] == ["1.001193"]
    assert pull.details["drafts"] == {"1.001193": draft.pk}
    assert draft.number == 2
    assert (str(draft.time_amount), draft.time_unit) == ("2.00", "working_days")
    assert list(draft.fees.values_list("name", "amount", "note")) == [("Lệ phí", 8000, "Miễn")]
    assert list(draft.required_documents.values_list("document_type_code", "form", "requirement")) == [
        ("TKKS", "original", "always"),
        ("GCS", "original", "always"),
        ("VBUQ", "certified_copy", "always"),
    ]
    assert draft.form_schema["properties"] == BIRTH_SCHEMA["properties"]  # the e-form stays the province's
    assert draft.cutoff is not None and draft.cutoff.strftime("%H:%M") == "15:00"
    procedure_row = Procedure.objects.get(code="1.001193")
    assert procedure_row.current_version == published  # nothing is published before review


def test_pulling_a_changed_catalog_twice_makes_one_draft(portal: Any) -> None:
    procedure(portal, "1.001193")["PhiLePhi"][0]["MucThu"] = 8000
    national_catalog_pull(actor=None)
    before = row_counts()

    again = national_catalog_pull(actor=None)

    assert again.counts == {"created": 0, "changed": 0, "unchanged": 3, "pending": 0, "failed": 0}
    assert row_counts() == before


def test_a_draft_under_review_is_never_overwritten(portal: Any) -> None:
    procedure(portal, "1.001193")["PhiLePhi"][0]["MucThu"] = 8000
    national_catalog_pull(actor=None)
    procedure(portal, "1.001193")["PhiLePhi"][0]["MucThu"] = 9000
    before = row_counts()

    again = national_catalog_pull(actor=None)

    assert again.counts["pending"] == 1
    assert again.details["pending"] == ["1.001193"]
    assert row_counts() == before
    draft = ProcedureVersion.objects.get(procedure__code="1.001193", status=VersionStatus.DRAFT)
    assert list(draft.fees.values_list("amount", flat=True)) == [8000]


def test_a_new_procedure_arrives_as_a_first_draft_offered_by_the_agencies_we_know(portal: Any) -> None:
    new = dict(procedure(portal, "2.000528"))
    new.update(
        {
            "MaTTHC": "1.000419",
            "TenTTHC": "Thủ tục đăng ký khai tử lưu động",
            "MaLinhVuc": "HOTICH_LD",
            "TenLinhVuc": "Hộ tịch lưu động",
            "CoQuanThucHien": ["H99.101", "H01.999"],
            "ThanhPhanHoSo": [{"TenGiayTo": "Giấy báo tử", "MaGiayTo": "GBT", "SoLuong": 1, "HinhThuc": "BAN_SAO"}],
        }
    )
    portal.app.state["catalog"].append(new)

    pull = national_catalog_pull(actor=None)

    assert pull.counts == {"created": 1, "changed": 0, "unchanged": 3, "pending": 0, "failed": 0}
    created = Procedure.objects.get(code="1.000419")
    assert created.current_version is None
    draft = created.versions.get()
    assert (draft.number, draft.status, draft.name, draft.sector.name) == (
        1,
        VersionStatus.DRAFT,
        "Thủ tục đăng ký khai tử lưu động",
        "Hộ tịch lưu động",
    )
    assert version_content(draft)["documents"][0]["name"] == "Giấy báo tử"
    assert list(Offering.objects.filter(procedure=created).values_list("agency__code", flat=True)) == ["H99.101"]


def test_an_unreadable_or_invalid_procedure_is_listed_and_the_others_still_arrive(portal: Any) -> None:
    procedure(portal, "1.001193")["MucDo"] = "MUC_7"
    procedure(portal, "2.000528")["TenTTHC"] = ""
    procedure(portal, "2.000815")["PhiLePhi"][0]["MucThu"] = 3000

    pull = national_catalog_pull(actor=None)

    assert pull.counts == {"created": 0, "changed": 1, "unchanged": 0, "pending": 0, "failed": 2}
    assert pull.details["failed"]["1.001193"] == [
        "MucDo “MUC_7” không phải mã đã biết (TOAN_TRINH, MOT_PHAN, CUNG_CAP_THONG_TIN, 4, 3, 2)."
    ]
    assert pull.details["failed"]["2.000528"] == ["Tên đang để trống."]
    assert pull.details["changed"] == ["2.000815"]


def test_an_unreachable_portal_is_a_failed_pull(portal: Any) -> None:
    portal.app.set_faults(failure_rate=1.0)
    before = row_counts()

    pull = national_catalog_pull(actor=None)

    assert (pull.ok, pull.counts) == (False, {})
    assert pull.error.endswith("/api/thu-tuc: HTTP 503)")
    assert row_counts() == before
