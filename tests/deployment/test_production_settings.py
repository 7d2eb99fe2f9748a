"""Production settings: ``check --deploy`` is clean with the documented variables, and no key means no start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The production variables of docs/deployment.md ("Production variables").
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "motcua.settings",
    "DJANGO_SECRET_KEY": "k" * 20 + "-production-secret-of-the-province-" + "7" * 20,
    "DJANGO_ALLOWED_HOSTS": "dichvucong.example.gov.vn",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://dichvucong.example.gov.vn",
    "MOTCUA_HTTPS": "1",
    "MOTCUA_PROXY_SSL_HEADER": "1",
    # Each external service's own secret (the defaults are the demo's, published): docs/deployment.md.
    "MOTCUA_NATIONAL_PORTAL_SECRET": "portal-secret-of-the-province",
    "MOTCUA_NATIONAL_ID_CLIENT_SECRET": "vneid-client-secret-of-the-province",
    "MOTCUA_POPULATION_SECRET": "population-secret-of-the-province",
    "MOTCUA_POST_SECRET": "post-secret-of-the-province",
    "MOTCUA_SMS_GATEWAY_SECRET": "sms-secret-of-the-province",
    "MOTCUA_SMS_RECEIPT_SECRET": "sms-receipt-secret-of-the-province",
    "MOTCUA_PAYMENT_NATIONAL_SECRET": "payment-platform-secret-of-the-province",
    "MOTCUA_PAYMENT_GATEWAY_SECRET": "gateway-secret-of-the-province",
}


def manage(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``manage.py`` in a clean environment: none of the demo or test variables of this process leak in."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MOTCUA_"))}
    base |= {"MOTCUA_VAR_DIR": str(tmp_path / "var"), "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_the_production_variables(tmp_path: Path) -> None:
    done = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.strip() == "System check identified no issues (0 silenced)."


def test_check_deploy_warns_without_the_https_switch(tmp_path: Path) -> None:
    plain = {k: v for k, v in PRODUCTION.items() if k != "MOTCUA_HTTPS"}

    done = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **plain)

    assert done.returncode == 1
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in done.stderr  # HSTS, SSL redirect, session and CSRF cookies


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    no_key = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}

    done = manage(tmp_path, "check", **no_key)

    assert done.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY is not set" in done.stderr
    assert not (tmp_path / "var" / "motcua.sqlite3").exists()  # refused before touching anything


def test_the_demo_switch_allows_the_published_key(tmp_path: Path) -> None:
    no_key = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}

    done = manage(tmp_path, "check", MOTCUA_DEMO="1", **no_key)

    assert (done.returncode, done.stdout.strip()) == (0, "System check identified no issues (0 silenced).")


def test_check_deploy_refuses_a_service_left_on_the_demos_published_secret(tmp_path: Path) -> None:
    """A forgotten payment secret would let anyone who read settings.py forge a paid callback."""
    forgotten = {k: v for k, v in PRODUCTION.items() if k != "MOTCUA_PAYMENT_NATIONAL_SECRET"}

    done = manage(tmp_path, "check", "--deploy", **forgotten)

    assert done.returncode == 1
    assert "motcua.E001" in done.stderr and "MOTCUA_PAYMENT_NATIONAL_SECRET is not set" in done.stderr
    assert done.stderr.count("motcua.E001") == 1
    # A service turned off needs no secret.
    off = manage(tmp_path, "check", "--deploy", MOTCUA_PAYMENT_PROVIDERS="gateway", **forgotten)
    assert (off.returncode, off.stdout.strip()) == (0, "System check identified no issues (0 silenced).")
