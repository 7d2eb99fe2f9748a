"""The owner shares a document of their data store for one hour from a phone; whoever holds the link sees
and downloads it; once the hour has passed the link shows the expiry page and serves no file."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from motcua.demo.province import DEMO_PASSWORD
from motcua.documents.models import DigitizedDocument, ShareLink
from motcua.documents.services import Backfile, backfile_digitize
from tests.e2e.demo_forms import CITIZEN
from tests.intake import make_pdf

pytestmark = pytest.mark.browser

SCAN = make_pdf("Giay khai sinh cap nam 2001")


def stored_birth_extract() -> DigitizedDocument:
    """An earlier paper result of the demo citizen, digitized at the desk (the store's backfile)."""
    return backfile_digitize(
        actor=None,
        paper=Backfile(
            owner_id_number=CITIZEN,
            owner_name="Nguyễn Thị Lan",
            owner_kind="person",
            result_number="KQ.H49.000777",
            type_code="GKS",
            name="Giấy khai sinh",
            issuer="UBND phường Hồng Hải",
            issued_on=date(2001, 5, 14),
            valid_until=None,
            file_name="giay-khai-sinh.pdf",
            stream=io.BytesIO(SCAN),
            size=len(SCAN),
        ),
    )


def test_the_owner_shares_a_document_for_an_hour_and_the_link_expires(demo_site, phone, browser) -> None:
    document = stored_birth_extract()
    phone.goto(demo_site.url + "/dang-nhap/")
    phone.locator("input[name=username]").fill(CITIZEN)
    phone.locator("input[name=password]").fill(DEMO_PASSWORD)
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url(re.compile(r"/tai-khoan/$"))

    phone.locator("#nav-my-documents").click()
    phone.wait_for_url(re.compile(r"/tai-khoan/kho-du-lieu/$"))
    card = phone.locator(f'article[data-code="{document.code}"]')
    assert "Giấy khai sinh" in card.inner_text()
    assert "Không thời hạn" in card.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # fits a 360 px phone
    phone.screenshot(path="/tmp/s3-share-1-my-documents.png", full_page=True)

    card.locator("select[name=duration]").select_option("1h")
    card.locator("button[type=submit]", has_text="Chia sẻ").click()
    link = phone.locator("#share-url").input_value()
    assert re.fullmatch(re.escape(demo_site.url) + r"/chia-se/[A-Za-z0-9_-]{43}/", link)
    shared = ShareLink.objects.get()
    assert shared.expires_at - shared.created_at == timedelta(hours=1)
    assert "Đường liên kết còn hiệu lực đến" in phone.locator(f'article[data-code="{document.code}"]').inner_text()
    phone.screenshot(path="/tmp/s3-share-2-link-made.png", full_page=True)

    stranger_context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="vi-VN", accept_downloads=True
    )
    stranger_context.set_default_timeout(15_000)
    try:
        stranger = stranger_context.new_page()
        opened = stranger.goto(link)
        assert opened is not None and opened.status == 200
        assert stranger.locator("#shared-code").inner_text() == document.code
        assert "UBND phường Hồng Hải" in stranger.content()
        stranger.screenshot(path="/tmp/s3-share-3-opened.png", full_page=True)
        with stranger.expect_download() as download_info:
            stranger.locator("#shared-download").click()
        download = download_info.value
        assert download.suggested_filename == f"{document.code}.pdf"
        document.refresh_from_db()  # the worker may have made the searchable, signed store copy meanwhile
        with open(download.path(), "rb") as handle, document.file.open("rb") as stored:
            assert handle.read() == stored.read()

        # One hour and one minute later (the live server runs in this process: it reads the same clock).
        with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1), tick=True):
            expired = stranger.goto(link)
            assert expired is not None and expired.status == 410
            text = stranger.locator("#share-closed").inner_text()
            assert "đã hết hạn hoặc đã bị chủ sở hữu thu hồi" in text
            assert document.code not in stranger.content()
            assert stranger.locator("#shared-download").count() == 0
            stranger.screenshot(path="/tmp/s3-share-4-expired.png", full_page=True)
            file = stranger.request.get(link + "tai-ve/")
            assert file.status == 410
            assert file.headers["content-type"].startswith("text/html")
            assert not file.body().startswith(b"%PDF")
    finally:
        stranger_context.close()
