"""Acceptance: the login of each staff role of the demo, and of the admin, asks for the second factor."""

from __future__ import annotations

import base64
import re
import time

import pytest
from django_otp.oath import hotp

from motcua.demo.province import DEMO_PASSWORD
from motcua.identity.constants import Role
from motcua.identity.services import role_grant, staff_create
from tests.e2e.staff_login import next_code

pytestmark = pytest.mark.browser

ROLES = [
    ("motcua.xa", "Cán bộ một cửa"),
    ("chuyenvien.xa", "Chuyên viên"),
    ("lanhdao.xa", "Lãnh đạo đơn vị"),
    ("vanthu.xa", "Văn thư"),
    ("giamsat", "Cán bộ giám sát"),
    ("quantri", "Quản trị hệ thống"),
]


def password(page, url: str, username: str, next_path: str = "") -> None:
    page.goto(url + "/dang-nhap/" + (f"?next={next_path}" if next_path else ""))
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/dang-nhap/ma-xac-thuc/"))


def test_each_staff_role_types_the_code_after_the_password(demo_site, browser) -> None:
    for username, role in ROLES:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        context.set_default_timeout(15_000)
        page = context.new_page()
        password(page, demo_site.url, username)
        assert page.locator("h1").inner_text() == "Mã xác thực"
        # Nothing of the back office before the code.
        page.goto(demo_site.url + "/can-bo/")
        assert "/dang-nhap/ma-xac-thuc/" in page.url
        page.locator("#second-factor-form input[name=code]").fill("000000" if next_code(username) != "000000" else "1")
        page.locator("#second-factor-form button[type=submit]").click()
        assert "Mã không đúng" in page.locator(".error-summary").inner_text()
        time.sleep(1.1)  # django-otp's delay after one wrong code
        page.locator("#second-factor-form input[name=code]").fill(next_code(username))
        page.locator("#second-factor-form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/can-bo/$"))
        assert role in page.locator("#roles").inner_text(), username
        context.close()


def test_the_admin_opens_django_admin_through_the_same_login(demo_site, desktop) -> None:
    desktop.goto(demo_site.url + "/quan-tri/")
    desktop.wait_for_url(re.compile(r"/dang-nhap/\?next="))
    desktop.locator("input[name=username]").fill("quantri")
    desktop.locator("input[name=password]").fill(DEMO_PASSWORD)
    desktop.locator("main form button[type=submit]").click()
    desktop.wait_for_url(re.compile(r"/dang-nhap/ma-xac-thuc/"))
    desktop.locator("#second-factor-form input[name=code]").fill(next_code("quantri"))
    desktop.locator("#second-factor-form button[type=submit]").click()
    desktop.wait_for_url(re.compile(r"/quan-tri/$"))
    assert "motcua" in desktop.locator("#site-name").inner_text()


def test_a_new_staff_account_sets_up_its_authenticator_at_first_login(demo_site, desktop) -> None:
    from motcua.demo.province import demo_agencies

    user = staff_create(actor=None, username="moi.xa", full_name="Cán Bộ Mới", email="", password=DEMO_PASSWORD)
    role_grant(actor=None, user=user, role=Role.DESK_OFFICER, agency=demo_agencies()["commune"])
    page = desktop
    page.goto(demo_site.url + "/dang-nhap/")
    page.locator("input[name=username]").fill("moi.xa")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/dang-nhap/cai-dat-xac-thuc/"))
    assert page.locator("#enrol-qr").is_visible()
    secret = page.locator("#enrol-secret").inner_text().replace(" ", "")
    code = f"{hotp(base64.b32decode(secret), int(time.time() // 30)):06d}"
    page.locator("#enrol-form input[name=code]").fill(code)
    page.locator("#enrol-form button[type=submit]").click()
    assert page.locator("#recovery-codes li").count() == 10
    page.locator("#recovery-continue").click()
    page.wait_for_url(re.compile(r"/can-bo/$"))
