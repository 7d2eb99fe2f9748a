"""Cases, result types and the new document fields: immutability and the migration of old data."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import transaction

from motcua.catalog.exceptions import VersionImmutable
from motcua.catalog.models import Fee, Procedure, ProcedureCase, RequiredDocument, ResultType
from motcua.catalog.services import procedure_draft_create
from tests.factories import row_counts

migration = importlib.import_module("motcua.catalog.migrations.0004_result_types_from_text")


def test_old_result_text_becomes_one_result_type(catalog) -> None:
    # The import made the rows already; the migration must make exactly the same from the text.
    ResultType.objects.all().delete()
    migration.result_text_to_rows(apps, None)
    assert list(ResultType.objects.values_list("version__procedure__code", "code", "name", "validity_months")) == [
        ("1.001193", "", "Giấy khai sinh", None)
    ]


def test_old_documents_are_required_always_in_every_case(catalog) -> None:
    version = Procedure.objects.get(code="1.001193").current_version
    documents = version.required_documents.all()
    assert [(d.requirement, d.condition_label, d.condition, d.group, list(d.cases.all())) for d in documents] == [
        ("always", "", {}, "", []),
        ("always", "", {}, "", []),
    ]
    assert [(f.collected_at, f.exemptions, list(f.cases.all())) for f in version.fees.all()] == [("reception", "", [])]


def test_published_cases_and_their_links_are_immutable(catalog) -> None:
    version = Procedure.objects.get(code="1.001193").current_version
    before = row_counts()
    with pytest.raises(VersionImmutable):
        ProcedureCase.objects.create(version=version, code="qua-han", name="Quá hạn")
    with pytest.raises(VersionImmutable):
        ResultType.objects.create(version=version, name="Trích lục")
    with pytest.raises(VersionImmutable):
        version.result_types.first().delete()
    assert row_counts() == before


def test_case_links_change_only_on_a_draft(catalog) -> None:
    procedure = Procedure.objects.get(code="1.001193")
    draft = procedure_draft_create(actor=None, procedure=procedure)
    late = ProcedureCase.objects.create(version=draft, code="qua-han", name="Đăng ký khai sinh quá hạn")
    published_document = procedure.current_version.required_documents.first()
    published_fee = procedure.current_version.fees.first()
    draft_document = draft.required_documents.first()
    draft_document.cases.add(late)
    assert list(draft_document.cases.values_list("code", flat=True)) == ["qua-han"]

    other = ProcedureCase.objects.create(version=draft, code="khac", name="Khác")
    # The refusal comes from inside Django's own atomic block: a savepoint keeps the test's transaction.
    with pytest.raises(VersionImmutable), transaction.atomic():
        published_document.cases.add(other)
    with pytest.raises(VersionImmutable), transaction.atomic():
        published_fee.cases.set([other])
    with pytest.raises(VersionImmutable), transaction.atomic():
        other.documents.add(published_document)
    assert RequiredDocument.cases.through.objects.count() == 1
    assert Fee.cases.through.objects.count() == 0


def test_a_case_without_its_own_time_uses_the_version(catalog) -> None:
    draft = procedure_draft_create(actor=None, procedure=Procedure.objects.get(code="1.001193"))
    general = ProcedureCase.objects.create(version=draft, code="dung-han", name="Đúng hạn")
    late = ProcedureCase.objects.create(
        version=draft,
        code="qua-han",
        name="Quá hạn",
        time_amount=Decimal("3"),
        time_unit="working_days",
        online_mode="partial",
    )
    assert (general.effective_time(), general.effective_online_mode()) == ((Decimal("1.00"), "working_days"), "full")
    assert (late.effective_time(), late.effective_online_mode()) == ((Decimal("3"), "working_days"), "partial")
