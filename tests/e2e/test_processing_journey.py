"""A dossier from the commune desk to a signed electronic result the citizen downloads and anyone can verify.

Received at the commune desk, processed by a specialist who sees the e-form and consults the justice
department (whose specialist answers from its own inbox), previewed, approved and signed by the leader,
numbered, dated and sealed by the clerk (Nghị định 30/2020/NĐ-CP), returned electronically; the citizen
downloads the birth extract from "My dossiers" on a phone: its text holds the child's name, the number and
the date, and two independent verifiers (pyHanko and poppler's pdfsig) find both signatures valid.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from motcua.catalog.models import RequiredDocument
from motcua.demo.province import DEMO_PASSWORD, demo_agencies, demo_staff
from motcua.dossiers.constants import NationalStatus, Status
from motcua.dossiers.models import Dossier, DossierResult
from motcua.dossiers.slips import local
from motcua.identity.constants import Role
from motcua.identity.models import User
from motcua.signing import demo_certificate_issue, verify_pdf
from motcua.signing.store import ca_cert_path
from motcua.workflow.services import Application, dossier_submit_online
from tests.e2e.conftest import PHONE
from tests.e2e.demo_forms import BIRTH_FORM as DEMO_BIRTH_FORM
from tests.e2e.demo_forms import CITIZEN
from tests.e2e.staff_login import sign_in_staff
from tests.intake import make_pdf, pdf
from tests.results import page_text, pdfsig, pyhanko_coverage

pytestmark = pytest.mark.browser

BIRTH_FORM = {**DEMO_BIRTH_FORM, "ho_ten_cha": "Trần Văn Minh"}


@pytest.fixture
def signing_folder(settings: Any, tmp_path: Path) -> Path:
    settings.MOTCUA_SIGNING_DIR = tmp_path / "signing"
    return Path(settings.MOTCUA_SIGNING_DIR)


@pytest.fixture
def site(signing_folder: Path, demo_site: Any) -> Any:
    """The demo province, with the demo authority and the leaders' certificates under a temporary folder
    (set before the demo loads, so that its loader issues them there)."""
    places = demo_agencies()
    for member in demo_staff():  # the demo loader issues them too; issuing is idempotent
        if member.role == Role.UNIT_LEADER:
            demo_certificate_issue(
                signing_folder,
                username=member.username,
                full_name=member.full_name,
                organisation=places[member.agency].name,
            )
    return demo_site


@pytest.fixture
def sign_in(browser: Any, site: Any) -> Iterator[Any]:
    """Open a fresh browser (a desktop, or a phone) signed in as ``username``."""
    contexts: list[Any] = []

    def open_as(username: str, *, phone: bool = False) -> Any:
        options = PHONE if phone else {"viewport": {"width": 1280, "height": 900}, "locale": "vi-VN"}
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        if username.isdigit():  # a citizen: the password only
            page.goto(site.url + "/dang-nhap/")
            page.locator("input[name=username]").fill(username)
            page.locator("input[name=password]").fill(DEMO_PASSWORD)
            page.locator("main form button[type=submit]").click()
            page.wait_for_url(re.compile(r"/tai-khoan/$"))
            return page
        return sign_in_staff(page, site.url, username)

    yield open_as
    for context in contexts:
        context.close()


def site_signing_dir() -> Path:
    from django.conf import settings

    return Path(settings.MOTCUA_SIGNING_DIR)


def submit_online() -> str:
    citizen = User.objects.get(username=CITIZEN)
    docs = RequiredDocument.objects.filter(version__procedure__code="1.001193", version__status="published")
    uploads = [pdf(f"{d.pk}.pdf", d.pk) for d in docs.order_by("position")]
    application = Application(procedure_code="1.001193", agency_code="H49.101", form_data=BIRTH_FORM, uploads=uploads)
    return dossier_submit_online(actor=citizen, application=application).code


def status_of(code: str) -> tuple[str, int, int | None]:
    dossier = Dossier.objects.get(code=code)
    return dossier.status, dossier.national_status, dossier.step_position


def open_from_inbox(page: Any, code: str, tab: str = "mine") -> None:
    page.locator("nav a[href='/can-bo/xu-ly/']").click()
    page.locator(f"#tab-{tab}").click()
    page.get_by_role("link", name=code).click()
    page.wait_for_selector("#dossier-code")
    assert page.locator("#dossier-code").inner_text() == code


def submit(page: Any, action: str) -> None:
    page.locator(f"#form-{action} button[type=submit]").click()
    page.wait_for_selector(".messages .message")  # "Đã thực hiện: ..." after the redirect


def test_commune_dossier_to_a_signed_result_the_citizen_downloads(site, sign_in, tmp_path) -> None:
    code = submit_online()
    department = demo_agencies()["department"]

    # The commune desk receives it and hands it to the specialist.
    desk = sign_in("motcua.xa")
    desk.goto(f"{site.url}/can-bo/ho-so/{code}/")
    desk.locator("#form-receive button[type=submit]").click()
    desk.locator("#processing-link").click()
    desk.wait_for_selector("#form-forward")
    desk.locator("#form-forward select[name=assignee]").select_option(label="Phạm Văn Chuyên")
    submit(desk, "forward")
    assert status_of(code) == (Status.IN_PROGRESS, NationalStatus.PROCESSING, 2)

    # The specialist sees the e-form, consults the justice department, then sends the dossier to the leader.
    specialist = sign_in("chuyenvien.xa")
    open_from_inbox(specialist, code)
    assert specialist.locator("#eform [data-field=ho_ten_tre]").inner_text() == "Trần Gia Bảo"
    assert specialist.locator("#eform [data-field=ngay_sinh]").inner_text() == "01/03/2026"
    assert specialist.locator("#result-preview").count() == 0  # only the one who signs previews
    specialist.locator("#form-consult select[name=agencies]").select_option([department.code])
    specialist.locator("#form-consult textarea[name=question]").fill("Đề nghị xác minh thông tin khai sinh.")
    specialist.locator("#form-consult input[name=hours]").fill("4")
    submit(specialist, "consult")
    specialist.locator("#form-forward select[name=assignee]").select_option(label="Hoàng Văn Lãnh")
    submit(specialist, "forward")
    assert status_of(code) == (Status.IN_PROGRESS, NationalStatus.PROCESSING, 3)

    # The department's specialist answers from the consultations tab of their own inbox.
    consulted = sign_in("chuyenvien.so")
    open_from_inbox(consulted, code, tab="consultations")
    consulted.locator("#form-answer_consultation textarea[name=answer]").fill("Thông tin khai sinh chính xác.")
    consulted.locator("#form-answer_consultation input[name=attachments]").set_input_files(
        {"name": "y-kien.pdf", "mimeType": "application/pdf", "buffer": make_pdf("y kien")}
    )
    submit(consulted, "answer_consultation")
    assert "Thông tin khai sinh chính xác." in consulted.locator("#consultations").inner_text()

    # The leader reads the e-form and the answer, opens the preview, then approves: the birth extract is
    # drawn up and signed with the leader's certificate.
    leader = sign_in("lanhdao.xa")
    open_from_inbox(leader, code)
    assert "Thông tin khai sinh chính xác." in leader.locator("#consultations").inner_text()
    assert leader.locator("#eform [data-field=ho_ten_cha]").inner_text() == "Trần Văn Minh"
    leader.locator("#form-approve select[name=assignee]").select_option(label="Đỗ Thị Thư")
    leader.locator("#form-approve button[type=submit]").click()  # without the preview: refused, nothing signed
    leader.wait_for_selector("#action-error")
    assert status_of(code) == (Status.IN_PROGRESS, NationalStatus.PROCESSING, 3)
    with leader.context.expect_page() as opened:
        leader.locator("#result-preview").click()  # opens in a new tab, inline
    preview_tab = opened.value
    preview = leader.request.get(site.url + (leader.locator("#result-preview").get_attribute("href") or ""))
    assert (preview.status, preview.headers["content-type"]) == (200, "application/pdf")
    assert preview.headers["content-disposition"] == f'inline; filename="{code}-xem-truoc.pdf"'
    preview_text = page_text(preview.body())
    assert "TRÍCH LỤC KHAI SINH" in preview_text and "TRẦN GIA BẢO" in preview_text
    preview_tab.close()
    leader.locator("#form-approve select[name=assignee]").select_option(label="Đỗ Thị Thư")
    submit(leader, "approve")
    assert "Hoàng Văn Lãnh" in leader.locator("#result-signature").inner_text()

    # The clerk numbers and issues it; the desk returns it electronically.
    clerk = sign_in("vanthu.xa")
    open_from_inbox(clerk, code)
    submit(clerk, "issue_result")
    assert clerk.locator("#result-number").inner_text() == "KQ.H49.000001"
    assert status_of(code) == (Status.RESULT_READY, NationalStatus.DONE, 5)
    desk.goto(f"{site.url}/can-bo/xu-ly/{code}/")
    desk.locator("#form-return_result input[value=electronic]").check()
    submit(desk, "return_result")
    assert status_of(code)[:2] == (Status.RETURNED, NationalStatus.RETURNED)

    # The citizen downloads the signed result from "My dossiers", on a phone.
    citizen = sign_in(CITIZEN, phone=True)
    citizen.goto(site.url + "/ho-so-cua-toi/")
    citizen.get_by_role("link", name=code).click()
    assert citizen.locator("#result-number").inner_text() == "KQ.H49.000001"
    response = citizen.request.get(site.url + citizen.locator("#result-download").get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    signed = response.body()
    assert signed.startswith(b"%PDF")

    # The number and date are on the document, next to the child's name.
    issued_on = local(DossierResult.objects.get(dossier__code=code).issued_at).strftime("%d/%m/%Y")
    text = page_text(signed)
    for expected in ("TRÍCH LỤC KHAI SINH", "TRẦN GIA BẢO", "KQ.H49.000001", issued_on, "Trần Văn Minh"):
        assert expected in text, expected

    # pyHanko's validation runs its own event loop; Playwright's sync API holds this thread's loop.
    commune = demo_agencies()["commune"].name
    with ThreadPoolExecutor(max_workers=1) as pool:
        report = pool.submit(verify_pdf, signed).result()
        coverage = pool.submit(pyhanko_coverage, signed, ca_cert_path(site_signing_dir())).result()
    assert [(s.signer_name, s.intact, s.valid) for s in report.signatures] == [
        ("Hoàng Văn Lãnh", True, True),
        (commune, True, True),
    ]
    # The leader's signature covers its revision, not the whole file; what follows is permitted form filling.
    assert coverage == [("ENTIRE_REVISION", "FORM_FILLING", True, True), ("ENTIRE_FILE", "NONE", True, True)]
    assert shutil.which("pdfsig")
    output = pdfsig(signed, tmp_path)
    assert output.count("Signature Validation: Signature is Valid.") == 2, output
    assert "Signer Certificate Common Name: Hoàng Văn Lãnh" in output, output
    assert f"Signer Certificate Common Name: {commune}" in output, output
