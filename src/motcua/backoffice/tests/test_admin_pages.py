import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.identity.constants import Role
from tests.factories import make_staff, row_counts, small_catalog


def admin_client(client, province):
    client.force_login(make_staff(Role.ADMINISTRATOR, province["province"], include_subagencies=True))
    return client


def test_agency_import_page_reports_the_bad_row_and_imports_nothing(client, province) -> None:
    admin_client(client, province)
    csv = "code,name,level,parent_code\nH99.103,Xã Mới,commune,H99\nH99.104,Xã Lỗi,commune,H77\n"
    before = row_counts()
    response = client.post(
        reverse("backoffice:agencies-import"), {"file": SimpleUploadedFile("a.csv", csv.encode(), "text/csv")}
    )
    assert response.status_code == 400
    assert response.context["errors"] == {3: ["Cơ quan cấp trên H77 không tồn tại."]}
    assert row_counts() == before


def test_agency_import_page_imports_a_good_file(client, province) -> None:
    admin_client(client, province)
    csv = "code,name,level,parent_code\nH99.103,Xã Mới,commune,H99\n"
    response = client.post(
        reverse("backoffice:agencies-import"), {"file": SimpleUploadedFile("a.csv", csv.encode(), "text/csv")}
    )
    assert response.status_code == 302
    assert Agency.objects.get(code="H99.103").parent.code == "H99"


def test_catalog_import_export_through_the_pages(client, province) -> None:
    admin_client(client, province)
    upload = SimpleUploadedFile("c.json", json.dumps(small_catalog()).encode(), "application/json")
    assert client.post(reverse("backoffice:catalog-import"), {"file": upload}).status_code == 302
    assert Procedure.objects.count() == 3

    exported = client.get(reverse("backoffice:catalog-export-json"))
    assert json.loads(exported.content)["procedures"][0]["code"] == "1.001193"
    workbook = load_workbook(io.BytesIO(client.get(reverse("backoffice:catalog-export-xlsx")).content))
    assert workbook.sheetnames == ["sectors", "procedures", "cases", "documents", "fees", "result_types"]
    assert workbook["procedures"].max_row == 4


def test_catalog_import_of_garbage_changes_nothing(client, province) -> None:
    admin_client(client, province)
    before = row_counts()
    response = client.post(
        reverse("backoffice:catalog-import"), {"file": SimpleUploadedFile("c.json", b"not json", "application/json")}
    )
    assert response.status_code == 400
    assert row_counts() == before
