"""The client address every throttle uses: X-Forwarded-For only from a trusted proxy."""

import pytest
from django.test import RequestFactory

from motcua.core.ratelimit import client_address


def request(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        ("", "203.0.113.9", "1.2.3.4", "203.0.113.9"),  # nothing trusted: the header is ignored
        ("10.0.0.1", "203.0.113.9", "1.2.3.4", "203.0.113.9"),  # an untrusted sender's header is ignored
        ("10.0.0.1", "10.0.0.1", "198.51.100.7", "198.51.100.7"),
        ("10.0.0.1", "10.0.0.1", "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # a forged left part is skipped
        ("10.0.0.0/8", "10.0.0.1", "198.51.100.7, 10.2.3.4", "198.51.100.7"),  # two proxies in a row
        ("10.0.0.0/8, 2001:db8::/32", "2001:db8::1", "2001:db8:1::5, 2a00::7", "2a00::7"),
        ("10.0.0.1", "10.0.0.1", None, "10.0.0.1"),
        ("10.0.0.1", "10.0.0.1", "garbage", "garbage"),
    ],
)
def test_client_address(settings, trusted, remote, forwarded, expected) -> None:
    settings.MOTCUA_TRUSTED_PROXIES = trusted
    assert client_address(request(remote, forwarded)) == expected
