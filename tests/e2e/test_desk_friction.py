"""Issue 12 at the desk, in a browser: the ID typed once, the procedure found by its name without
diacritics, an online dossier received and forwarded in one click."""

import re

import pytest

from motcua.catalog.models import RequiredDocument
from motcua.demo.province import demo_agencies
from motcua.dossiers.constants import Status
from motcua.identity.models import User
from motcua.workflow.services import Application, dossier_submit_online
from tests.e2e.demo_forms import BIRTH_FORM, CITIZEN
from tests.e2e.staff_login import sign_in_staff
from tests.intake import pdf

pytestmark = pytest.mark.browser


def log_in(page, url: str) -> None:
    sign_in_staff(page, url, "motcua.xa")


def test_the_id_is_typed_once_and_the_procedure_found_by_name(demo_site, desktop) -> None:
    page = desktop
    log_in(page, demo_site.url)
    page.locator("nav a[href='/can-bo/ho-so/tiep-nhan/']").click()
    page.locator("input[name=q]").fill("022196002222")
    page.locator("form[role=search] button[type=submit]").click()

    hint = page.locator("#open-account-hint")
    assert hint.inner_text() == "Công dân chưa có tài khoản: mở tài khoản cho số định danh 022196002222."
    form = page.locator("#create-applicant")
    assert form.locator("input[name=personal_id]").input_value() == "022196002222"  # not typed again
    form.locator("input[name=full_name]").fill("Phạm Thị Hoa")
    form.locator("input[name=phone]").fill("0909876543")
    form.locator("button[type=submit]").click()
    assert page.locator("#handover-login").inner_text() == "022196002222"
    assert User.objects.get(username="022196002222").full_name == "Phạm Thị Hoa"
    page.locator("#continue-dossier").click()
    page.wait_for_load_state("load")

    # The picker: typed without diacritics, the list follows the typing (no button pressed).
    page.locator("#find-procedure input[name=q]").fill("dang ky khai sinh")
    link = page.locator("#procedure-results a", has_text=re.compile(r"^Thủ tục đăng ký khai sinh$"))
    link.wait_for()
    assert page.locator("#procedure-results li").first.inner_text().startswith("Thủ tục đăng ký khai sinh")
    link.click()
    page.wait_for_url(re.compile(r"\?procedure=1\.001193$"))
    assert "Thủ tục đăng ký khai sinh" in page.locator("#walk-in-procedure").inner_text()


def test_an_online_dossier_is_received_and_forwarded_in_one_click(demo_site, desktop) -> None:
    docs = RequiredDocument.objects.filter(version__procedure__code="1.001193", version__status="published")
    application = Application(
        procedure_code="1.001193",
        agency_code=demo_agencies()["commune"].code,
        form_data=BIRTH_FORM,
        uploads=[pdf(f"{d.pk}.pdf", d.pk) for d in docs.order_by("position")],
    )
    dossier = dossier_submit_online(actor=User.objects.get(username=CITIZEN), application=application)
    page = desktop
    log_in(page, demo_site.url)
    page.goto(f"{demo_site.url}/can-bo/ho-so/{dossier.code}/")
    page.locator("#form-receive-forward button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/can-bo/ho-so/{re.escape(dossier.code)}/$"))
    assert "Đã tiếp nhận và chuyển xử lý." in page.locator(".messages").inner_text()
    dossier.refresh_from_db()
    assert (dossier.status, dossier.step_position) == (Status.IN_PROGRESS, 2)
