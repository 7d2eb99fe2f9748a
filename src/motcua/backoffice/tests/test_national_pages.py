"""The back-office page of the national portal's pull side: what arrived, what could not, pull now, retry."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.models import Dossier
from motcua.identity.constants import Role
from motcua.integrations.intake_models import IntakeStatus, NationalIntake, NationalPull
from motcua.integrations.tests.national import birth_dossier, empty_portal, national_catalog, submit
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal(catalog: Any, fake_service: Any, monday_morning: Any) -> Any:
    server = empty_portal(fake_service("national_portal"))
    server.app.state["catalog"] = national_catalog()
    return server


@pytest.fixture
def admin(client: Any, province: Any) -> Any:
    client.force_login(make_staff(Role.ADMINISTRATOR, province["province"], include_subagencies=True))
    return client


def test_pull_now_imports_and_the_page_lists_imported_and_failed(
    admin: Any, portal: Any, django_capture_on_commit_callbacks: Any
) -> None:
    submit(portal, birth_dossier(), birth_dossier("G22.01-260309-000002", MaTTHC="9.999999"))

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("backoffice:national-pull", args=["dossiers"]), follow=True)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Đã lấy hồ sơ: 1 hồ sơ đã vào hàng chờ tiếp nhận, 1 hồ sơ không nhập được." in page
    assert "Cổng Dịch vụ công quốc gia" in page
    assert "G22.01-260309-000002" in page and "Thủ tục 9.999999 không tồn tại." in page
    assert "H99.101-260309-0001" in page
    assert list(response.context["failed"]) == [NationalIntake.objects.get(status=IntakeStatus.FAILED)]
    assert response.context["imported_total"] == 1
    pull = NationalPull.objects.get()
    assert (pull.kind, pull.actor_id) == ("dossiers", response.wsgi_request.user.pk)


def test_pull_the_catalog_now_lists_the_drafts_to_review(admin: Any, portal: Any) -> None:
    portal.app.state["catalog"][0]["PhiLePhi"][0]["MucThu"] = 8000

    response = admin.post(reverse("backoffice:national-pull", args=["catalog"]), follow=True)

    page = response.content.decode()
    assert (
        "Đã lấy danh mục: 0 thủ tục mới và 1 thủ tục thay đổi được tạo thành bản nháp chờ xem xét; "
        "2 thủ tục không đổi." in page
    )
    draft = ProcedureVersion.objects.get(procedure__code="1.001193", status="draft")
    assert "Lấy lần gần nhất lúc" in page
    review = reverse("admin:catalog_procedureversion_change", args=[draft.pk])
    assert f'<a class="code" href="{review}">1.001193</a> — có thay đổi' in page


def test_an_unreachable_portal_is_said_plainly(admin: Any, portal: Any) -> None:
    portal.app.set_faults(failure_rate=1.0)

    response = admin.post(reverse("backoffice:national-pull", args=["dossiers"]), follow=True)

    assert "Không kết nối được Cổng Dịch vụ công quốc gia" in response.content.decode()


def test_an_administrator_imports_a_failure_again(
    admin: Any, portal: Any, django_capture_on_commit_callbacks: Any
) -> None:
    portal.app.state["file_outages"] = 1
    submit(portal, birth_dossier())
    admin.post(reverse("backoffice:national-pull", args=["dossiers"]))
    failure = NationalIntake.objects.get()
    assert failure.status == IntakeStatus.FAILED

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("backoffice:national-retry", args=[failure.pk]), follow=True)

    assert "Hồ sơ G22.01-260309-000001 đã được nhập." in response.content.decode()
    assert Dossier.objects.count() == 1
    assert admin.post(reverse("backoffice:national-retry", args=[failure.pk])).status_code == 404


@pytest.mark.parametrize("role", [Role.DESK_OFFICER, Role.SUPERVISOR])
def test_only_administrators_see_and_pull(client: Any, province: Any, portal: Any, role: str) -> None:
    client.force_login(make_staff(role, province["commune_a"]))

    assert client.get(reverse("backoffice:national-portal")).status_code == 403
    assert client.post(reverse("backoffice:national-pull", args=["dossiers"])).status_code == 403
    assert NationalPull.objects.count() == 0


def test_an_unknown_kind_of_pull_is_not_found(admin: Any, portal: Any) -> None:
    assert admin.post(reverse("backoffice:national-pull", args=["everything"])).status_code == 404
    assert admin.get(reverse("backoffice:national-pull", args=["dossiers"])).status_code == 405


def test_the_desk_queue_shows_the_national_portal_as_the_source(
    client: Any, people: Any, portal: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from motcua.integrations.intake_services import national_intake_pull

    submit(portal, birth_dossier())
    with django_capture_on_commit_callbacks(execute=True):
        national_intake_pull(actor=None)
    client.force_login(people["desk"])

    response = client.get(reverse("backoffice:intake-queue"))

    page = response.content.decode()
    assert "H99.101-260309-0001</a>" in page
    assert '<small class="source">Cổng DVC quốc gia</small>' in page


@pytest.mark.parametrize("count", [1, 30])
def test_the_page_runs_a_fixed_number_of_queries(
    admin: Any, portal: Any, count: int, django_capture_on_commit_callbacks: Any, django_assert_num_queries: Any
) -> None:
    from motcua.integrations.intake_services import national_catalog_pull, national_intake_pull

    submit(portal, *(birth_dossier(f"G{n}") for n in range(count)))
    submit(portal, *(birth_dossier(f"F{n}", MaTTHC="9.999999") for n in range(count)))
    with django_capture_on_commit_callbacks(execute=True):
        national_intake_pull(actor=None)
    portal.app.state["catalog"][0]["PhiLePhi"][0]["MucThu"] = 8000
    national_catalog_pull(actor=None)
    admin.get(reverse("backoffice:national-portal"))  # the session's first page warms what is read once
    # session, user, the second factor's device, role grants, failures: count and page, imported: page and
    # count, the last catalog pull, the last pulls
    with django_assert_num_queries(10):
        response = admin.get(reverse("backoffice:national-portal"))
    assert response.context["imported_total"] == count
    assert len(response.context["failed"]) == count
