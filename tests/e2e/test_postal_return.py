"""National connections at the desk and by post, in a browser.

The desk officer looks a walk-in up in the (fake) population database and gets the name and address
filled in; a citizen choosing return by post reads the fee and the extra delay first; the desk returns a
result by post, which orders the carrier's pickup (the fake carrier, a real HTTP server); the carrier
reports the parcel in transit through its signed callback to the live server, and the citizen sees the
tracking number and the carrier's status with its time on their phone.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import requests

from motcua.catalog.models import RequiredDocument
from motcua.demo.province import demo_agencies, demo_staff
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.identity.constants import Role
from motcua.identity.models import User
from motcua.integrations.postal import CALLBACK_PATH
from motcua.integrations.postal_models import Shipment, ShipmentStatus
from motcua.signing import demo_certificate_issue
from motcua.workflow.processing import dossier_approve, dossier_forward, dossier_issue_result
from motcua.workflow.services import Application, dossier_receive, dossier_submit_online
from tests.e2e.conftest import PHONE
from tests.e2e.demo_forms import BIRTH_FORM, CITIZEN
from tests.e2e.staff_login import sign_in_staff
from tests.intake import pdf

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots-post")
ADDRESS = "Số 8 đường Trần Hưng Đạo, phường Bãi Cháy, tỉnh Quảng Ninh"


@pytest.fixture
def site(settings: Any, tmp_path: Path, demo_site: Any) -> Any:
    settings.MOTCUA_SIGNING_DIR = tmp_path / "signing"
    places = demo_agencies()
    for member in demo_staff():
        if member.role == Role.UNIT_LEADER:
            demo_certificate_issue(
                settings.MOTCUA_SIGNING_DIR,
                username=member.username,
                full_name=member.full_name,
                organisation=places[member.agency].name,
            )
    SHOTS.mkdir(parents=True, exist_ok=True)
    return demo_site


def result_ready_by_post() -> str:
    """The demo citizen's birth registration, return by post chosen, worked up to its issued result."""
    citizen = User.objects.get(username=CITIZEN)
    docs = RequiredDocument.objects.filter(version__procedure__code="1.001193", version__status="published")
    application = Application(
        procedure_code="1.001193",
        agency_code="H49.101",
        form_data={**BIRTH_FORM, "ho_ten_cha": "Trần Văn Minh"},
        uploads=[pdf(f"{d.pk}.pdf", d.pk) for d in docs.order_by("position")],
        return_method="post",
        return_address=ADDRESS,
    )
    code = dossier_submit_online(actor=citizen, application=application).code
    staff = {u.username: u for u in User.objects.filter(username__endswith=".xa")}
    dossier_receive(actor=staff["motcua.xa"], code=code)
    dossier_forward(actor=staff["motcua.xa"], code=code, assignee=staff["chuyenvien.xa"])
    dossier_forward(actor=staff["chuyenvien.xa"], code=code, assignee=staff["lanhdao.xa"])
    dossier_approve(actor=staff["lanhdao.xa"], code=code, note="Đủ điều kiện", assignee=staff["vanthu.xa"])
    dossier_issue_result(actor=staff["vanthu.xa"], code=code)
    assert Dossier.objects.get(code=code).status == Status.RESULT_READY
    return code


def citizen_phone(browser: Any, base_url: str) -> Any:
    context = browser.new_context(**PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(base_url + "/dang-nhap/")
    page.locator("input[name=username]").fill(CITIZEN)
    page.locator("input[name=password]").fill("motcua-demo")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/tai-khoan/$"))
    return page


def test_a_result_returned_by_post_shows_its_tracking_number_and_the_carriers_status(
    site, browser, desktop, fake_service, settings
) -> None:
    carrier = fake_service("post")
    settings.MOTCUA_POST_CALLBACK_URL = site.url + CALLBACK_PATH  # the carrier calls the live server back

    # Before choosing, the citizen reads what return by post costs and how long it adds (phone).
    citizen = citizen_phone(browser, site.url)
    citizen.goto(site.url + "/thu-tuc/1.001193/nop-ho-so/")
    tariff = citizen.locator("#postal-tariff").inner_text()
    assert "Cước chuyển phát: 30.000 đ, thêm 2 ngày làm việc" in tariff
    citizen.locator("#step-return").screenshot(path=str(SHOTS / "portal-return-choice-360.png"))

    code = result_ready_by_post()

    # The desk returns it by post: the applicant's choice is preselected.
    desk = sign_in_staff(desktop, site.url, "motcua.xa")
    desk.goto(f"{site.url}/can-bo/xu-ly/{code}/")
    assert desk.locator("#form-return_result input[value=post]").is_checked()
    desk.locator("#form-return_result button[type=submit]").click()
    desk.wait_for_selector(".messages .message")
    shipment = Shipment.objects.get(dossier__code=code)
    assert (shipment.status, shipment.tracking_number, shipment.fee, shipment.extra_working_days) == (
        ShipmentStatus.ORDERED,
        "EB000000014VN",
        30_000,
        2,
    )
    desk.goto(f"{site.url}/can-bo/ho-so/{code}/")
    assert desk.locator("#shipment-tracking").inner_text() == "EB000000014VN"
    desk.locator("#shipment").screenshot(path=str(SHOTS / "backoffice-shipment.png"))

    # The carrier takes the parcel and sends it on; each status reaches us by its signed callback.
    for status, at in (("accepted", "2026-12-03T08:10:00+07:00"), ("in_transit", "2026-12-03T14:25:00+07:00")):
        answer = requests.post(
            f"{carrier.url}/_fake/shipments/EB000000014VN/status", json={"status": status, "at": at}, timeout=10
        ).json()
        assert answer["callback_status"] == 200
    shipment.refresh_from_db()
    assert (shipment.status, shipment.updates.count()) == (ShipmentStatus.IN_TRANSIT, 2)

    citizen.goto(f"{site.url}/ho-so-cua-toi/{code}/")
    assert citizen.locator("#shipment-tracking").inner_text() == "EB000000014VN"
    assert citizen.locator("#shipment-status").inner_text() == "Đang vận chuyển"
    assert citizen.locator("#shipment-status-at").inner_text() == "14:25 03/12/2026"
    citizen.locator("#shipment").scroll_into_view_if_needed()
    citizen.screenshot(path=str(SHOTS / "citizen-shipment-360.png"), full_page=True)
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 360  # nothing overflows the phone


def test_the_desk_fills_a_walk_in_from_the_population_database(site, desktop, fake_service) -> None:
    fake_service("population")
    desk = sign_in_staff(desktop, site.url, "motcua.xa")
    desk.goto(site.url + "/can-bo/ho-so/tiep-nhan/?q=001095012345")
    desk.locator("#create-applicant input[name=phone]").fill("0903334444")
    desk.locator("#population-lookup-button").click()
    desk.wait_for_selector("#population-lookup")
    assert desk.locator("#create-applicant input[name=full_name]").input_value() == "Lê Văn An"
    assert desk.locator("#create-applicant input[name=address]").input_value().startswith("Số 5 ngõ 12")
    assert desk.locator("#create-applicant input[name=phone]").input_value() == "0903334444"
    assert desk.locator("#population-birth").inner_text() == "21/07/1995"
    desk.locator("#h-create").locator("xpath=..").screenshot(path=str(SHOTS / "desk-population-lookup.png"))
    desk.locator("#create-applicant button[type=submit]:not([name])").click()
    desk.wait_for_selector("#handover-login")
    assert User.objects.get(username="001095012345").full_name == "Lê Văn An"
