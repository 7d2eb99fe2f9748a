"""Document types and their validity rules are data (issue 14 §1): imported from a list, edited in the
admin through a service, and used when a component is digitized."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from motcua.core.exceptions import ValidationFailed
from motcua.core.models import AuditEntry
from motcua.documents.models import DocumentType
from motcua.documents.services import document_types_import, validity_months

pytestmark = pytest.mark.django_db

ROWS = [
    {"code": "CCCD", "name": "Thẻ căn cước", "validity_months": 6, "basis": "observed"},
    {"code": "GKS", "name": "Giấy khai sinh", "validity_months": None},
]


def types() -> list[tuple[str, str, int | None]]:
    return list(DocumentType.objects.order_by("code").values_list("code", "name", "validity_months"))


def test_types_are_imported_once_and_a_second_import_changes_nothing() -> None:
    first = document_types_import(actor=None, rows=ROWS)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    assert types() == [("CCCD", "Thẻ căn cước", 6), ("GKS", "Giấy khai sinh", None)]
    again = document_types_import(actor=None, rows=ROWS)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert AuditEntry.objects.filter(action="document_types_import").count() == 1
    changed = document_types_import(actor=None, rows=[{**ROWS[0], "validity_months": 12}])
    assert (changed.created, changed.updated) == (0, 1)
    assert (validity_months("CCCD"), validity_months("GKS"), validity_months("KHAC")) == (12, None, 6)


@pytest.mark.parametrize(
    "bad",
    [
        {"code": "", "name": "Không mã", "validity_months": 6},
        {"code": "cccd", "name": "Chữ thường", "validity_months": 6},
        {"code": "GKS", "name": "", "validity_months": None},
        {"code": "GKS", "name": "Giấy khai sinh", "validity_months": 0},
        {"code": "GKS", "name": "Giấy khai sinh", "validity_months": "6"},
        {"code": "GKS", "name": "Giấy khai sinh", "validity_months": True},
        "not a row",
    ],
)
def test_a_bad_row_is_refused_and_nothing_is_imported(bad: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        document_types_import(actor=None, rows=[ROWS[0], bad])
    assert refused.value.code == "document_type_invalid"
    assert list(refused.value.details) == ["2"]
    assert (types(), AuditEntry.objects.count()) == ([], 0)


def test_the_admin_saves_through_the_service_and_never_deletes(people) -> None:
    document_types_import(actor=None, rows=ROWS)
    admin = site._registry[DocumentType]
    request = RequestFactory().post("/quan-tri/")
    request.user = people["desk"]
    cccd = DocumentType.objects.get(code="CCCD")
    cccd.validity_months = 3
    admin.save_model(request, cccd, form=None, change=True)
    assert DocumentType.objects.get(code="CCCD").validity_months == 3
    entry = AuditEntry.objects.get(action="document_type_save")
    assert (entry.actor_id, entry.data) == (people["desk"].pk, {"code": "CCCD", "validity_months": 3})
    assert admin.has_delete_permission(request, cccd) is False
