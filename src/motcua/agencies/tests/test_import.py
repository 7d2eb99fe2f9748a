import io

import pytest
from openpyxl import Workbook

from motcua.agencies.exceptions import ImportRejected
from motcua.agencies.models import Agency, Desk
from motcua.agencies.selectors import agency_subtree
from motcua.agencies.services import agency_import
from motcua.core.tabular import read_table
from tests.factories import row_counts

HEADER = "code,name,level,parent_code,address,phone,email,desk_code,desk_name\n"
GOOD = (
    "H42.101,Xã Cẩm Xuyên,commune,H42,,,,H42.101.MC,Bộ phận Một cửa xã Cẩm Xuyên\n"
    "H42,UBND tỉnh Hà Tĩnh,province,,Hà Tĩnh,,,,\n"
    "H42.01,Sở Tư pháp,department,H42,,,stp@hatinh.gov.vn,,\n"
    "000.00.05.H42,Sở cũ (mã QCVN 102),department,H42,,,,,\n"
)


def rows_of(text: str) -> list[tuple[int, dict[str, str]]]:
    return [(r.number, r.values) for r in read_table("agencies.csv", text.encode())]


@pytest.mark.django_db
def test_import_builds_the_tree_whatever_the_row_order() -> None:
    report = agency_import(actor=None, rows=rows_of(HEADER + GOOD))

    assert (report.created, report.updated, report.desks) == (4, 0, 1)
    province = Agency.objects.get(code="H42")
    assert sorted(agency_subtree(province).values_list("code", flat=True)) == [
        "000.00.05.H42",
        "H42",
        "H42.01",
        "H42.101",
    ]
    assert Desk.objects.get(code="H42.101.MC").agency.code == "H42.101"
    assert Agency.objects.get(code="H42.101").path == f"/{province.pk}/{Agency.objects.get(code='H42.101').pk}/"


@pytest.mark.django_db
def test_reimport_changes_nothing() -> None:
    agency_import(actor=None, rows=rows_of(HEADER + GOOD))
    before = row_counts()
    report = agency_import(actor=None, rows=rows_of(HEADER + GOOD))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
    assert row_counts() == before


@pytest.mark.django_db
def test_one_bad_row_imports_nothing_and_names_the_row() -> None:
    bad = GOOD + "H42.XYZ-1,Xã lỗi,commune,H42,,,,,\nH42.102,,village,H99,,,not-an-email,,\n"
    before = row_counts()

    with pytest.raises(ImportRejected) as caught:
        agency_import(actor=None, rows=rows_of(HEADER + bad))

    errors = caught.value.details
    assert sorted(errors) == [6, 7]  # file lines, header = line 1
    assert "H42.XYZ-1" in errors[6][0]
    assert any("village" in message for message in errors[7])
    assert any("not-an-email" in message for message in errors[7])
    assert row_counts() == before


@pytest.mark.django_db
def test_xlsx_with_a_bad_parent_imports_nothing() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["code", "name", "level", "parent_code"])
    sheet.append(["H42", "UBND tỉnh", "province", ""])
    sheet.append(["H42.101", "Xã A", "commune", "H43"])
    out = io.BytesIO()
    workbook.save(out)

    with pytest.raises(ImportRejected) as caught:
        agency_import(actor=None, rows=[(r.number, r.values) for r in read_table("a.xlsx", out.getvalue())])

    assert list(caught.value.details) == [3]
    assert "H43" in caught.value.details[3][0]
    assert Agency.objects.count() == 0


@pytest.mark.django_db
def test_a_commune_cannot_sit_under_a_department() -> None:
    text = HEADER + "H42,Tỉnh,province,,,,,,\nH42.01,Sở,department,H42,,,,,\nH42.101,Xã,commune,H42.01,,,,,\n"
    with pytest.raises(ImportRejected) as caught:
        agency_import(actor=None, rows=rows_of(text))
    assert list(caught.value.details) == [4]
