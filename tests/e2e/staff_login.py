"""The one way browser tests log a staff member in: the password, then the code of the demo authenticator."""

from __future__ import annotations

import re
import time
from typing import Any

from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.demo.province import DEMO_PASSWORD


def next_code(username: str) -> str:
    """The demo authenticator's code for a time step this account has not used yet (a code works once)."""
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    while True:
        now_t = int(time.time() // device.step)
        # The server accepts one step either side of its clock; it refuses a step at or before the last used.
        usable = [t for t in (now_t, now_t + 1) if t > device.last_t]
        if usable:
            return f"{hotp(device.bin_key, usable[0]):06d}"
        time.sleep(1)
        device.refresh_from_db()


def sign_in_staff(page: Any, base_url: str, username: str, *, next_path: str = "", lands: str = r"/can-bo/$") -> Any:
    """Log ``username`` in through the login form and the code page; wait for the page matching ``lands``."""
    page.goto(base_url + "/dang-nhap/" + (f"?next={next_path}" if next_path else ""))
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/dang-nhap/ma-xac-thuc/"))
    page.locator("#second-factor-form input[name=code]").fill(next_code(username))
    page.locator("#second-factor-form button[type=submit]").click()
    page.wait_for_url(re.compile(lands))
    return page
