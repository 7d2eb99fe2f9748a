import pytest
from django.utils import translation

from motcua.catalog.constants import VersionStatus
from motcua.catalog.exceptions import CatalogImportRejected, VersionImmutable
from motcua.catalog.models import Fee, Procedure, ProcedureVersion, RequiredDocument
from motcua.catalog.selectors import catalog_export
from motcua.catalog.services import catalog_import, procedure_draft_create, procedure_version_publish
from motcua.catalog.xlsx import catalog_from_xlsx, catalog_to_xlsx
from tests.factories import row_counts, small_catalog


def test_import_publishes_version_one(catalog) -> None:
    assert (catalog.created, catalog.new_versions, catalog.sectors_created) == (3, 0, 2)
    birth = Procedure.objects.get(code="1.001193")
    version = birth.current_version
    assert (version.number, version.status, str(version.time_amount), version.time_unit) == (
        1,
        VersionStatus.PUBLISHED,
        "1.00",
        "working_days",
    )
    assert version.cutoff.strftime("%H:%M") == "15:00"
    assert [d.name for d in version.required_documents.all()] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    assert sorted(birth.agencies.values_list("code", flat=True)) == ["H99.101", "H99.102"]
    assert birth.name_key == "dang ky khai sinh"


def test_same_file_again_changes_nothing(catalog) -> None:
    before = row_counts()
    report = catalog_import(actor=None, document=small_catalog())
    assert (report.created, report.new_versions, report.unchanged) == (0, 0, 3)
    assert row_counts() == before


def test_changed_procedure_gets_a_new_version_and_the_old_one_is_kept(catalog) -> None:
    document = small_catalog()
    document["procedures"][0]["processing_time"] = {"amount": "2", "unit": "working_days"}

    report = catalog_import(actor=None, document=document)

    assert (report.new_versions, report.unchanged) == (1, 2)
    versions = ProcedureVersion.objects.filter(procedure__code="1.001193").order_by("number")
    assert [(v.number, v.status, str(v.time_amount)) for v in versions] == [
        (1, VersionStatus.RETIRED, "1.00"),
        (2, VersionStatus.PUBLISHED, "2.00"),
    ]
    assert Procedure.objects.get(code="1.001193").current_version == versions[1]


def test_published_version_and_its_documents_are_immutable(catalog) -> None:
    version = Procedure.objects.get(code="1.001193").current_version
    version.name = "Đổi tên"
    with pytest.raises(VersionImmutable):
        version.save()
    with pytest.raises(VersionImmutable):
        RequiredDocument.objects.create(version=version, name="Thêm")
    with pytest.raises(VersionImmutable):
        Fee.objects.filter(version=version).first().delete()
    assert ProcedureVersion.objects.get(pk=version.pk).name == "Thủ tục đăng ký khai sinh"


def test_draft_is_editable_then_published(catalog) -> None:
    procedure = Procedure.objects.get(code="2.000815")
    draft = procedure_draft_create(actor=None, procedure=procedure)
    draft.name = "Chứng thực bản sao từ bản chính"
    draft.save()
    RequiredDocument.objects.create(version=draft, name="Bản chính giấy tờ", position=5)

    procedure_version_publish(actor=None, version=draft)

    procedure.refresh_from_db()
    assert (procedure.current_version.number, procedure.name) == (2, "Chứng thực bản sao từ bản chính")
    with pytest.raises(VersionImmutable):
        procedure_version_publish(actor=None, version=draft)


@pytest.mark.parametrize(
    ("mutate", "place", "fragment"),
    [
        (lambda d: d["procedures"][1].update(code="2.00052"), "procedures[2] (2.00052)", "2.00052"),
        (lambda d: d["procedures"][2].update(sector="KHONGCO"), "procedures[3] (2.000815)", "KHONGCO"),
        (
            lambda d: d["procedures"][0].update(form_schema={"type": "objekt"}),
            "procedures[1] (1.001193)",
            "JSON Schema",
        ),
        (
            lambda d: d["procedures"][0].update(processing_time={"amount": "-1", "unit": "working_days"}),
            "procedures[1] (1.001193)",
            "số dương",
        ),
        (lambda d: d["procedures"][0].update(agencies=["H00.999"]), "procedures[1] (1.001193)", "H00.999"),
    ],
)
def test_one_bad_item_imports_nothing(province, mutate, place, fragment) -> None:
    document = small_catalog()
    mutate(document)
    before = row_counts()

    with pytest.raises(CatalogImportRejected) as caught:
        catalog_import(actor=None, document=document)

    assert list(caught.value.details) == [place]
    assert fragment in " ".join(caught.value.details[place])
    assert row_counts() == before


def test_export_then_import_elsewhere_reproduces_the_catalog(catalog) -> None:
    exported = catalog_export()
    assert [p["code"] for p in exported["procedures"]] == ["1.001193", "2.000528", "2.000815"]
    # Same content through JSON and XLSX: importing either changes nothing.
    assert catalog_import(actor=None, document=exported).unchanged == 3
    assert catalog_import(actor=None, document=catalog_from_xlsx(catalog_to_xlsx(exported))).unchanged == 3


def test_xlsx_errors_name_the_sheet_row(catalog) -> None:
    exported = catalog_export()
    exported["procedures"][1]["online_mode"] = "level4"
    with pytest.raises(CatalogImportRejected) as caught:
        catalog_import(actor=None, document=catalog_from_xlsx(catalog_to_xlsx(exported)))
    assert list(caught.value.details) == ["procedures!3 (2.000528)"]


def test_over_long_values_are_reported_not_crashed_on(province) -> None:
    document = small_catalog()
    document["procedures"][0]["name"] = "Thủ tục " + "rất dài " * 130
    document["procedures"][0]["required_documents"][0]["document_type_code"] = "X" * 41
    with translation.override("en"), pytest.raises(CatalogImportRejected) as caught:
        catalog_import(actor=None, document=document)
    assert caught.value.details["procedures[1] (1.001193)"] == [
        "Too long (more than 1000 characters): name.",
        "Too long (more than 40 characters): document type code.",
    ]
    assert Procedure.objects.count() == 0
